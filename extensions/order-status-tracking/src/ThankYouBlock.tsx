// Thank you page: right after checkout nothing has shipped, so the one thing worth saying is the
// merchant's handling commitment. It needs only the shop's settings, never the order.
import '@shopify/ui-extensions/preact';
import {render} from 'preact';
import {useEffect, useState} from 'preact/hooks';
import {APP_URL} from './config';
import {commitmentParagraphs, type CommitmentJson, type Translate} from './view';

export default async () => {
  render(<HandlingCommitment />, document.body);
};

const translate: Translate = (key, options) => String(shopify.i18n.translate(key, options));

function HandlingCommitment() {
  const [commitment, setCommitment] = useState<CommitmentJson | null>(null);

  useEffect(() => {
    let current = true;
    (async () => {
      try {
        const token = await shopify.sessionToken.get();
        const response = await fetch(`${APP_URL}/api/order-status/commitment`, {
          headers: {Authorization: `Bearer ${token}`},
        });
        if (!response.ok) return;
        const body = (await response.json()) as {commitment: CommitmentJson | null};
        if (current) setCommitment(body.commitment);
      } catch {
        // No commitment to show: the page stays as Shopify renders it.
      }
    })();
    return () => {
      current = false;
    };
  }, []);

  if (!commitment) return null;
  return (
    <s-banner heading={translate('awaiting_heading')} tone="info">
      <s-stack gap="small">
        {commitmentParagraphs(commitment, translate).map((paragraph, index) => (
          <s-paragraph key={index}>{paragraph}</s-paragraph>
        ))}
      </s-stack>
    </s-banner>
  );
}
