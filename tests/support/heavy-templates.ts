// Templates that make rendering expensive, for the render-pool suites: a heavy one that loops a lot but
// stays inside liquidjs's own limits, and a runaway that no limit inside liquidjs stops (each
// `where_exp` pass over a 600,000-item range is one node, and the render deadline is only checked
// between nodes), so only killing its thread ends it.
const heavyLoop = `{% for i in (1..60) %}{% for j in (1..100) %}{% assign x = i | times: j %}{% endfor %}{% endfor %}`;

export const HEAVY_TEMPLATE = {
  subject: "Your order {{ order.name }} has shipped",
  html: `<p>Hello {{ buyer.first_name }}</p>${heavyLoop}<p>{{ x }}</p>`,
  text: `Hello {{ buyer.first_name }} ${heavyLoop}{{ x }}`,
};

const pass = `| where_exp: "n", "n > 0"`;
export const RUNAWAY_TEMPLATE = {
  subject: "Your order {{ order.name }} has shipped",
  html: `<p>Hello</p>{% assign r = (1..600000) %}{{ r ${pass.repeat(14)} | size }}`,
  text: "Hello {{ buyer.first_name }}",
};
