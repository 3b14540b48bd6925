import { useAuth } from '../../auth/AuthContext';
import { useApi, type Loaded } from '../../ui/useApi';
import type { Assignee } from '../../../people/people-answers';
import { codeLabels } from './labels';

/** Who a signal can be assigned to (`GET /people/assignees`): only a lead processor or admin may ask. */
export function useAssignees(): Loaded<{ items: Assignee[] }> & { allowed: boolean } {
  const { hasRole } = useAuth();
  const allowed = hasRole('lead-processor', 'tenant-admin');
  return { ...useApi<{ items: Assignee[] }>(allowed ? '/people/assignees' : null), allowed };
}

/** How an assignee reads: their name where the list is known, "jij" for oneself, else their id. */
export function assigneeName(
  assigneeId: string | null,
  selfId: string | undefined,
  assignees: readonly Assignee[] | undefined,
): string {
  if (assigneeId === null) return '—';
  if (assigneeId === selfId) return 'jij';
  return assignees?.find((person) => person.personId === assigneeId)?.name ?? assigneeId;
}

/** The choices of a select by name: "Vincent Verwerker (Wonen, Welzijn)", the person id as value. */
export function assigneeOptions(assignees: readonly Assignee[]): { value: string; label: string }[] {
  return assignees.map((person) => ({
    value: person.personId,
    label:
      person.policyDomains.length > 0
        ? `${person.name} (${codeLabels('policyDomains', person.policyDomains)})`
        : person.name,
  }));
}
