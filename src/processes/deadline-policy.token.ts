/** The deadlines a tenant's signals get per state (`DeadlinePolicy`): the tenant's overrides over the definition's. */
export const DEADLINE_POLICY = Symbol('DEADLINE_POLICY');
