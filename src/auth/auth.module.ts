import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { type AppConfig, type AuthConfig, devSecretFile } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AUTH_CONFIG } from './auth.constants.js';
import { AuthGuard } from './auth.guard.js';
import { MeController } from './me.controller.js';
import { TokenVerifier } from './token-verifier.js';

@Module({
  controllers: [MeController],
  providers: [
    { provide: AUTH_CONFIG, inject: [APP_CONFIG], useFactory: (config: AppConfig) => config.auth },
    TokenVerifier,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenVerifier],
})
export class AuthModule implements OnModuleInit {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    const key: AuthConfig['key'] = this.config.auth.key;
    if (key.kind === 'hs256' && key.development) {
      new Logger('Auth').warn(
        `Development JWT secret in use (${devSecretFile(this.config.dataDir)}): set JWT_SECRET or JWKS_URL ` +
          'outside development. Mint a token with `npm run token -- --tenant gent --role lead-processor --sub me`.',
      );
    }
  }
}
