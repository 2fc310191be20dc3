/**
 * Config keys for features patchcast does not have yet, or that were renamed. They are left out of the schema, so a file
 * using them fails validation, and these messages say why instead of "unknown key": a promotion gate
 * or an integration that is accepted but never acts is a control silently missing.
 */
const PLANNED: ReadonlyArray<readonly [pattern: string, message: string]> = [
  [
    'integrations',
    'not supported yet (planned: webhooks, Jira, ServiceNow, syslog/CEF, Splunk); remove this section',
  ],
  ['rings[].maxFailureRate', 'renamed: use errorBudget (a count such as 2 or a share such as 5%)'],
  ['rings[].requireApproval', 'renamed: use approval: required'],
];

/** The message for a key that names a planned feature (`rings[2].maxFailureRate`), if it is one. */
export function getPlannedKeyMessage(path: string): string | undefined {
  const pattern = path.replace(/\[\d+\]/g, '[]');
  return PLANNED.find(([planned]) => planned === pattern)?.[1];
}
