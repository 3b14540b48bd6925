/**
 * How `npm run cli -- signals migrate` is called, and the error a wrong call gives: apart from
 * migrate.cli.ts so that the CLI's usage text does not load the migration (and with it
 * `@nestjs/common`) into every command's process, a rebuild's included.
 */
export const MIGRATE_USAGE =
  'npm run cli -- signals migrate --tenant <tenant> --from <version> --to <version> --map <old>=<new>[,<old>=<new>…] --signals <id>[,<id>…] [--actor <id>]';

export class MigrateUsageError extends Error {}
