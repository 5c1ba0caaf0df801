// Feedback results as the server aggregates them: nothing below three responses, then averages,
// the share who felt heard and safe, and comments in alphabetical order (never who wrote them).
import { h } from "../dom.js";

const percent = (fraction) => `${Math.round(fraction * 100)} %`;

export function aggregateView(label, agg) {
  if (!agg.enough) {
    return h("div", { class: "aggregate" }, h("h4", {}, label),
      h("p", { class: "hint" }, `Results appear once at least ${agg.minimum} people have answered.`));
  }
  return h("div", { class: "aggregate" }, h("h4", {}, `${label}: ${agg.responses} responses`),
    h("p", {}, `Average rating ${agg.rating_average} of 5 · felt heard ${percent(agg.felt_heard)} · `
      + `felt safe ${percent(agg.felt_safe)}`),
    h("ul", { class: "ratings", "aria-label": "Ratings" },
      Object.entries(agg.ratings).reverse().map(([score, n]) => h("li", {}, `${score} of 5: ${n}`))),
    agg.comments.length ? h("ul", { class: "comments", "aria-label": "Comments" }, agg.comments.map((c) => h("li", {}, c))) : null);
}

export function feedbackResults(reply) {
  return h("section", { class: "feedback", "aria-label": "Feedback results" },
    h("h3", {}, "Feedback"),
    aggregateView("This session", reply.session),
    aggregateView("The whole series", reply.series));
}
