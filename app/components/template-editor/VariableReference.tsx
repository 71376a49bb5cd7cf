// Every variable a template can use, with what it holds.
import { BlockStack, Box, Card, Text } from "@shopify/polaris";
import { VARIABLE_REFERENCE } from "~/admin/templates";

export function VariableReference() {
  return (
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Variables
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            Write {"{{ name }}"} to insert a value; {"{% if name %}…{% endif %}"} to show text only when it is set.
          </Text>
          {VARIABLE_REFERENCE.map((group) => (
            <BlockStack key={group.group} gap="100">
              <Text as="h3" variant="headingSm">
                {group.group}
              </Text>
              {group.variables.map((variable) => (
                <Box key={variable.name}>
                  <Text as="p" variant="bodySm" breakWord>
                    <code>{`{{ ${variable.name} }}`}</code>
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {variable.description}
                  </Text>
                </Box>
              ))}
            </BlockStack>
          ))}
        </BlockStack>
      </Card>
  );
}
