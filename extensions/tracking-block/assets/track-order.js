/* Parcelwise "Track your order" block: asks the app (through the app proxy) for one order's shipments
   and shows them. Everything from the server is written with textContent, never as HTML. */
/* global document, window, fetch, URL, URLSearchParams */
(() => {
  'use strict';

  const el = (tag, part, content) => {
    const node = document.createElement(tag);
    if (part) node.className = 'pw-track__' + part;
    if (content != null) node.textContent = content;
    return node;
  };
  const fill = (template, values) => String(template).replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  const webUrl = (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch {
      return null;
    }
  };

  function Tracker(root) {
    if (root.dataset.pwReady) return;
    root.dataset.pwReady = 'true';
    // "status.delivered" → strings.status.delivered; "delay_silent.one" → strings.delay_silent.one.
    const strings = {};
    for (const node of root.querySelector('template[data-pw-strings]').content.querySelectorAll('[data-key]')) {
      const [key, form] = node.dataset.key.split('.');
      if (form) (strings[key] = strings[key] || {})[form] = node.textContent;
      else strings[key] = node.textContent;
    }
    const locale = root.dataset.locale || document.documentElement.lang || undefined;
    const showEvents = root.dataset.showEvents !== 'false';
    const form = root.querySelector('form');
    const message = root.querySelector('.pw-track__message[role="status"]');
    const result = root.querySelector('.pw-track__result');
    const format = (options) => {
      try {
        return new Intl.DateTimeFormat(locale, options);
      } catch {
        return new Intl.DateTimeFormat(undefined, options);
      }
    };
    // Window dates are calendar dates (YYYY-MM-DD, UTC); event times are moments in the buyer's zone.
    const day = format({ day: 'numeric', month: 'long', timeZone: 'UTC' });
    const moment = format({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
    const plural = (entry, count) => {
      let rule = 'other';
      try {
        rule = new Intl.PluralRules(locale).select(count);
      } catch {
        rule = count === 1 ? 'one' : 'other';
      }
      return fill(entry[rule] || entry.other, { count });
    };

    const say = (text) => {
      message.textContent = text || '';
      message.hidden = !text;
    };

    const place = (event) => [event.city, event.country].filter(Boolean).join(', ');
    const eventLine = (event) =>
      [strings.status[event.status] || strings.status.shipped, event.message, place(event), moment.format(new Date(event.happenedAt))]
        .filter(Boolean)
        .join(' · ');

    const row = (list, label, value) => {
      list.append(el('dt', 'label', label));
      const cell = el('dd', 'value');
      cell.append(value);
      list.append(cell);
    };

    const delayNote = (delay) => {
      const note = el('div', 'delay');
      note.setAttribute('role', 'note');
      note.append(el('p', 'delay-heading', strings.delay_heading));
      const why =
        delay.reason === 'silent'
          ? plural(strings.delay_silent, delay.daysSilent)
          : delay.reason === 'exception'
            ? strings.delay_exception
            : strings.delay_overdue;
      note.append(el('p', 'delay-text', why), el('p', 'delay-text', strings.delay_help));
      return note;
    };

    const shipmentCard = (shipment, index, count) => {
      const card = el('section', 'shipment');
      if (count > 1) card.append(el('h4', 'shipment-heading', fill(strings.shipment_of, { index: index + 1, count })));
      const badge = el('p', 'status', strings.status[shipment.status] || strings.status.shipped);
      badge.dataset.status = shipment.status;
      card.append(badge);
      const facts = el('dl', 'facts');
      if (shipment.carrier) row(facts, strings.carrier, shipment.carrier);
      for (const tracking of shipment.tracking) {
        const value = document.createDocumentFragment();
        value.append(tracking.number);
        const href = tracking.url && webUrl(tracking.url);
        if (href) {
          const link = el('a', 'carrier-link', strings.track_on_carrier);
          link.href = href;
          link.target = '_blank';
          link.rel = 'noopener noreferrer';
          value.append(' ', link);
        }
        row(facts, strings.tracking_number, value);
      }
      if (shipment.lastEvent) row(facts, strings.latest_update, eventLine(shipment.lastEvent));
      if (shipment.deliveredAt) {
        row(facts, strings.status.delivered, fill(strings.delivered_on, { date: moment.format(new Date(shipment.deliveredAt)) }));
      } else if (shipment.estimatedDelivery) {
        const from = day.format(new Date(shipment.estimatedDelivery.from));
        const to = day.format(new Date(shipment.estimatedDelivery.to));
        row(facts, strings.estimated_delivery, from === to ? from : fill(strings.date_range, { from, to }));
      } else if (shipment.shippedAt) {
        row(facts, strings.status.shipped, fill(strings.shipped_on, { date: moment.format(new Date(shipment.shippedAt)) }));
      }
      card.append(facts);
      if (shipment.delay) card.append(delayNote(shipment.delay));
      if (showEvents && shipment.events.length > 0) {
        card.append(el('h5', 'journey-heading', strings.journey));
        const journey = el('ol', 'events');
        for (const event of shipment.events) journey.append(el('li', 'event', eventLine(event)));
        card.append(journey);
      }
      return card;
    };

    const show = (tracking) => {
      result.replaceChildren();
      const heading = el('h3', 'order-heading', fill(strings.order_heading, { order: tracking.order.name }));
      heading.tabIndex = -1;
      result.append(heading);
      if (tracking.state === 'cancelled') result.append(el('p', 'notice', strings.cancelled));
      if (tracking.state === 'awaiting_shipment') {
        const notice = el('div', 'notice');
        notice.append(el('p', 'notice-heading', strings.awaiting_heading));
        if (tracking.commitment) {
          notice.append(
            el('p', 'notice-text', plural(strings.commitment_handling, tracking.commitment.handlingHours)),
            el('p', 'notice-text', plural(strings.commitment_online, tracking.commitment.onlineTrackingDays)),
            el('p', 'notice-text', strings.commitment_quality),
          );
        } else {
          notice.append(el('p', 'notice-text', strings.awaiting));
        }
        result.append(notice);
      }
      tracking.shipments.forEach((shipment, index) => result.append(shipmentCard(shipment, index, tracking.shipments.length)));
      result.hidden = false;
      heading.focus();
    };

    const lookup = async (payload) => {
      result.hidden = true;
      say(strings.loading);
      try {
        const response = await fetch(root.dataset.endpoint, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(payload),
          credentials: 'same-origin',
        });
        if (response.ok) {
          say('');
          show((await response.json()).tracking);
        } else {
          const refusals = { 404: strings.not_found, 410: strings.link_expired, 429: strings.rate_limited };
          say(refusals[response.status] || strings.error);
        }
      } catch {
        say(strings.error);
      }
    };

    form.addEventListener('submit', (submit) => {
      submit.preventDefault();
      const orderNumber = form.elements.order.value.trim();
      const email = form.elements.email.value.trim();
      if (!orderNumber || !email) return say(strings.missing_fields);
      lookup({ orderNumber, email });
    });

    // A signed link from the shipping confirmation: ?order=1001&t=<token>.
    const params = new URLSearchParams(window.location.search);
    if (params.get('order') && params.get('t')) {
      form.elements.order.value = params.get('order');
      lookup({ orderNumber: params.get('order'), token: params.get('t') });
    }
  }

  const start = () => document.querySelectorAll('[data-pw-track]').forEach((root) => Tracker(root));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  // The theme editor re-renders a section in place when the merchant adds or edits the block.
  document.addEventListener('shopify:section:load', start);
})();
