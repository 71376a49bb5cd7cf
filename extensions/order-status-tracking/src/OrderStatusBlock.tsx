// Order status page: every shipment of this order with its carrier, tracking link, status, latest
// carrier event, delivery window and, when it is late, a calm explanation; the handling commitment
// while nothing has shipped. The backend answers only for the signed-in customer's own order.
import '@shopify/ui-extensions/preact';
import {render} from 'preact';
import {useEffect, useState} from 'preact/hooks';
import {APP_URL} from './config';
import {
  orderStatusModel,
  trackingRequestUrl,
  type FormatDate,
  type Notice,
  type ShipmentCard,
  type TrackingJson,
  type Translate,
} from './view';

export default async () => {
  render(<OrderStatusTracking />, document.body);
};

type Load =
  | {kind: 'loading'}
  | {kind: 'ready'; tracking: TrackingJson}
  | {kind: 'none'}
  | {kind: 'sign-in'}
  | {kind: 'unavailable'};

const translate: Translate = (key, options) => String(shopify.i18n.translate(key, options));
const formatDate: FormatDate = (date, options) => shopify.i18n.formatDate(date, options);

function OrderStatusTracking() {
  const orderGid = shopify.order.value?.id;
  // A buyer who opened the page from a mail link without signing in has no customer in the token.
  const signedIn = shopify.authenticationState.value === 'fully_authenticated';
  const [load, setLoad] = useState<Load>({kind: 'loading'});

  useEffect(() => {
    const url = trackingRequestUrl(APP_URL, orderGid);
    if (!url) return;
    if (!signedIn) {
      setLoad({kind: 'sign-in'});
      return;
    }
    let current = true;
    (async () => {
      try {
        const token = await shopify.sessionToken.get();
        const response = await fetch(url, {headers: {Authorization: `Bearer ${token}`}});
        if (!current) return;
        if (response.status === 404) return setLoad({kind: 'none'});
        if (!response.ok) return setLoad({kind: 'unavailable'});
        const body = (await response.json()) as {tracking: TrackingJson};
        if (current) setLoad({kind: 'ready', tracking: body.tracking});
      } catch {
        if (current) setLoad({kind: 'unavailable'});
      }
    })();
    return () => {
      current = false;
    };
  }, [orderGid, signedIn]);

  if (load.kind === 'none') return null;
  return (
    <s-section heading={translate('section_heading')}>
      {load.kind === 'loading' && <s-skeleton-paragraph />}
      {load.kind === 'unavailable' && <s-text color="subdued">{translate('unavailable')}</s-text>}
      {load.kind === 'sign-in' && (
        <s-stack gap="base">
          <s-text>{translate('sign_in')}</s-text>
          <s-button variant="secondary" onClick={() => shopify.requireLogin()}>
            {translate('sign_in_button')}
          </s-button>
        </s-stack>
      )}
      {load.kind === 'ready' && <Tracking tracking={load.tracking} />}
    </s-section>
  );
}

function Tracking({tracking}: {tracking: TrackingJson}) {
  const model = orderStatusModel(tracking, translate, formatDate);
  return (
    <s-stack gap="large">
      {model.cancelled && <s-text>{model.cancelled}</s-text>}
      {model.awaiting && <NoticeBanner notice={model.awaiting} />}
      {model.shipments.map((card, index) => (
        <Shipment key={index} card={card} />
      ))}
    </s-stack>
  );
}

function NoticeBanner({notice}: {notice: Notice}) {
  return (
    <s-banner heading={notice.heading} tone="info">
      <s-stack gap="small">
        {notice.paragraphs.map((paragraph, index) => (
          <s-paragraph key={index}>{paragraph}</s-paragraph>
        ))}
      </s-stack>
    </s-banner>
  );
}

function Shipment({card}: {card: ShipmentCard}) {
  return (
    <s-stack gap="small">
      {card.heading && <s-heading>{card.heading}</s-heading>}
      <s-stack direction="inline" gap="small">
        <s-badge tone={card.status.tone}>{card.status.label}</s-badge>
      </s-stack>
      {card.tracking.map((tracking) => (
        <s-text key={tracking.number}>
          {card.trackingLabel}: {tracking.number}
          {tracking.url && (
            <>
              {' '}
              <s-link href={tracking.url} target="_blank">
                {tracking.linkLabel}
              </s-link>
            </>
          )}
        </s-text>
      ))}
      {card.facts.map((fact) => (
        <s-text key={fact.label}>
          <s-text type="strong">{fact.label}:</s-text> {fact.value}
        </s-text>
      ))}
      {card.delay && <NoticeBanner notice={card.delay} />}
    </s-stack>
  );
}
