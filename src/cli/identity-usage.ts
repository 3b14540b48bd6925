/** The onboarding commands' usage and error, apart from their code: the CLI names them in every usage text. */
export const IDENTITY_USAGE = `       npm run cli -- tenant create --slug <slug> --name <name> --nis <5 digits> --population <band>
       npm run cli -- organisation register --tenant <slug> --id <code> --name <name> --mode <1-4> [--description <text>]
       npm run cli -- people invite --tenant <slug> --email <e-mail> --role <role> [--role ...] [--org <code>] [--domain <code> ...] [--days <1-30>]`;

export class CliUsageError extends Error {}
