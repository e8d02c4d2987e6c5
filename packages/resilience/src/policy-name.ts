import { invalidOption, optionalString } from '@vigil/core/options';

/**
 * A policy's `name`, checked by core's `optionalString`. It labels the policy's metrics, so it is
 * required when a registry is given: without it every breaker of a service would share one series.
 *
 * @throws ConfigurationError `INVALID_OPTION`.
 */
export function policyName(owner: string, name: unknown, hasRegistry: boolean): string | undefined {
  const checked = optionalString(owner, 'name', name);
  if (checked === undefined && hasRegistry) {
    throw invalidOption(
      owner,
      'name is required when registry is given, because it labels the metrics (such as name: "partner-api")',
    );
  }
  return checked;
}
