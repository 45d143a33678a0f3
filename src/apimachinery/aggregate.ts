/**
 * utilerrors.NewAggregate(errs).Error() (k8s.io/apimachinery/pkg/util/errors/errors.go): nothing is "", one
 * message is itself, several are deduplicated in order and joined in brackets, "[a, b]". field.ErrorList's
 * ToAggregate gives the same text.
 */
export function aggregateMessage(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : unique.length === 0 ? '' : `[${unique.join(', ')}]`;
}
