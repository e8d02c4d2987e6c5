/** What was last notified for a group and receiver. */
export interface LogEntry {
  readonly firing: readonly string[];
  readonly resolved: readonly string[];
  readonly at: number;
  /** Repeats sent since the group last changed: cooldowns grow with them. */
  readonly repeats: number;
}

function subset(of: readonly string[], set: ReadonlySet<string>): boolean {
  for (const fp of of) if (!set.has(fp)) return false;
  return true;
}

/**
 * Whether a group needs a notification, as Alertmanager's `DedupStage.needsUpdate`: never sent
 * and something fires; a new firing alert; everything resolved that had fired; (with
 * `sendResolved`) a new resolved alert; or the repeat interval passed.
 */
export function needsUpdate(
  entry: LogEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  repeatInterval: number,
  sendResolved: boolean,
  now: number,
): boolean {
  if (entry === undefined) return firing.size > 0;
  if (!subset([...firing], new Set(entry.firing))) return true;
  if (firing.size === 0) return entry.firing.length > 0;
  if (sendResolved && !subset([...resolved], new Set(entry.resolved))) return true;
  return entry.at <= now - repeatInterval;
}
