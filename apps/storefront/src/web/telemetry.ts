// The browser SDK: every click and form submit starts a trace (user-interaction),
// the fetch it makes is a child span whose traceparent goes to order-service
// (fetch instrumentation), and the page load is a trace of its own
// (document-load). Spans go to tracehub's OTLP/HTTP receiver, which answers
// CORS for this origin.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';

export const SERVICE_NAME = 'storefront';

export function startTelemetry(otlpTracesUrl: string): WebTracerProvider {
  const provider = new WebTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME, 'service.version': '0.1.0', 'telemetry.sdk.language': 'webjs' }),
    spanProcessors: [
      // Half a second, like the services under npm start, so the trace is whole by the time you open it.
      new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl }), { scheduledDelayMillis: 500 }),
    ],
  });
  // Default context manager (synchronous stack) and W3C trace context + baggage propagators.
  provider.register();
  registerInstrumentations({
    instrumentations: [
      new DocumentLoadInstrumentation(),
      new UserInteractionInstrumentation({
        eventNames: ['click', 'submit'],
        // Only orders start traces: the fault panel and the Clear button are lab controls.
        shouldPreventSpanCreation: (_event, element) => element.closest('#faults-form, #load-form, #clear') !== null,
      }),
      new FetchInstrumentation({
        // Spans' own export, and the lab controls (faults, load), stay out of the traces.
        ignoreUrls: [otlpTracesUrl, /\/api\/(faults|load)$/],
        clearTimingResources: true,
      }),
    ],
  });
  // Spans still in the batch when the tab closes would be lost.
  addEventListener('pagehide', () => void provider.forceFlush());
  return provider;
}
