// The editor's check of a template: every syntax error, without rendering.
import type { TemplateSource } from "./render";
import { validationEngine } from "./engine";
import { toTemplateError, type TemplateError } from "./template-error";

/** Parse-only check of all three parts; [] when every part parses. */
export function validateTemplate(source: TemplateSource): TemplateError[] {
  const errors: TemplateError[] = [];
  for (const part of ["subject", "html", "text"] as const) {
    try {
      validationEngine.parse(source[part]);
    } catch (err) {
      const found = (err as { errors?: unknown[] }).errors ?? [err];
      const partErrors = found.map((e) => toTemplateError(part, e));
      // A block whose opening tag failed leaves its `{% endX %}` orphaned: an echo, not news.
      errors.push(
        ...partErrors.filter((e, i) => i === 0 || !/^tag "end\w*" not found$/.test(e.message)),
      );
    }
  }
  return errors;
}
