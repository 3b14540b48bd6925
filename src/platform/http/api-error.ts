import { HttpException } from '@nestjs/common';

/** The one error shape of the API: a status, a stable code, a Dutch message for a person. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
}

export class ApiError extends HttpException {
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(
      {
        statusCode: status,
        code,
        message,
        ...(details === undefined ? {} : { details }),
      } satisfies ApiErrorBody,
      status,
    );
  }
}
