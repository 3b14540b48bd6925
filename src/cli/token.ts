/**
 * `npm run token -- --tenant gent --role lead-processor --sub u1 [--role processor] [--org org-1]
 * [--domain jeugd] [--ttl 8h]`: prints a token the running app accepts, signed with the same
 * configuration (JWT_SECRET, or the development secret under DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { mintToken, TokenMintingError } from '../auth/mint-token.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { isRole, ROLES } from '../../workflows/roles.js';

const USAGE = `usage: npm run token -- --tenant <slug> --role <role> --sub <user id>
         [--role <role> ...] [--org <organisation id>] [--domain <policy domain> ...] [--ttl 8h]
roles: ${ROLES.join(', ')}`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      tenant: { type: 'string' },
      role: { type: 'string', multiple: true },
      sub: { type: 'string' },
      org: { type: 'string' },
      domain: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '8h' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new UsageError('');
  const { tenant, sub, org, ttl } = values;
  const roles = values.role ?? [];
  if (!tenant || !sub || roles.length === 0) throw new UsageError('--tenant, --sub and --role are required');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new UsageError(`unknown role: ${unknown.join(', ')}`);

  const config = loadConfig(process.env, { existingDataDir: true });
  if (config.auth.key.kind === 'jwks') {
    throw new TokenMintingError(
      'JWKS_URL is configured: tokens come from the identity provider, this command cannot sign them',
    );
  }
  const token = await mintToken(
    config.auth,
    {
      sub,
      tenant,
      roles: roles.filter(isRole),
      ...(org === undefined ? {} : { org }),
      ...(values.domain ? { domains: values.domain } : {}),
    },
    ttl,
  );
  if (config.auth.key.development) {
    process.stderr.write('Signed with the development secret under DATA_DIR (not for production).\n');
  }
  return token;
}

main(process.argv.slice(2)).then(
  (token) => process.stdout.write(`${token}\n`),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message ? `${error.message}\n` : ''}${USAGE}\n`);
      process.exitCode = 2;
    } else if (error instanceof TokenMintingError || error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      throw error;
    }
  },
);
