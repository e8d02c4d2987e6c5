import type { Attributes } from '@opentelemetry/api';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';

type Resource = ResourceMetrics['resource'];

/**
 * Default labels whose resource attribute has another name: the reverse of the OpenTelemetry
 * Prometheus compatibility rules (`service.name` becomes `job`, `service.instance.id` becomes
 * `instance`), plus Vigil's own `service` label.
 */
export const RESOURCE_ATTRIBUTE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  service: 'service.name',
  job: 'service.name',
  instance: 'service.instance.id',
});

/**
 * A registry's default labels as resource attributes: `service` and `job` become `service.name`
 * (`service` wins when both are set), `instance` becomes `service.instance.id`, and every other
 * label keeps its name.
 */
export function resourceAttributesOf(defaultLabels: Readonly<Record<string, string>>): Attributes {
  const attributes: Attributes = {};
  for (const [label, value] of Object.entries(defaultLabels)) {
    const name = RESOURCE_ATTRIBUTE_NAMES[label] ?? label;
    if (label === 'job' && 'service' in defaultLabels) continue;
    attributes[name] = value;
  }
  return attributes;
}

/**
 * A fixed resource, for the `ResourceMetrics` the producer answers alone. Inside a
 * `MetricReader`, the SDK keeps its `MeterProvider`'s resource instead.
 */
export function fixedResource(attributes: Attributes): Resource {
  const resource: Resource = {
    attributes,
    asyncAttributesPending: false,
    waitForAsyncAttributes: async () => {},
    merge: (other) =>
      other === null ? resource : fixedResource({ ...attributes, ...other.attributes }),
    getRawAttributes: () => Object.entries(attributes),
  };
  return resource;
}
