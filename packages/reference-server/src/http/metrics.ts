import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The server's Prometheus metrics, served at GET /metrics. */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "chatwire_requests_total",
    help: "HTTP requests answered, by route and status.",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: "chatwire_tokens_total",
    help: "Tokens processed, by kind: prompt, prompt_cached (prompt tokens a sequence already held), completion.",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  readonly timeToFirstToken = new Histogram({
    name: "chatwire_time_to_first_token_seconds",
    help: "From request arrival to the first generated token.",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly tokensPerSecond = new Histogram({
    name: "chatwire_generation_tokens_per_second",
    help: "Completion tokens per second of each finished choice.",
    buckets: [10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers: [this.registry],
  });
  readonly activeSequences: Gauge;
  readonly queueDepth: Gauge;

  constructor(sources: { active: () => number; queued: () => number }) {
    this.activeSequences = new Gauge({
      name: "chatwire_active_sequences",
      help: "Context sequences generating right now.",
      registers: [this.registry],
      collect() {
        this.set(sources.active());
      },
    });
    this.queueDepth = new Gauge({
      name: "chatwire_queue_depth",
      help: "Requests waiting for a free sequence.",
      registers: [this.registry],
      collect() {
        this.set(sources.queued());
      },
    });
  }
}
