import { Module } from '@nestjs/common';
import { CLOCK, systemClock } from '../platform/clock.js';
import { DashboardController } from './dashboard.http.js';

@Module({
  controllers: [DashboardController],
  providers: [{ provide: CLOCK, useValue: systemClock }],
})
export class DashboardModule {}
