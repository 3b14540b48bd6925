/**
 * A whole number written as plain decimal digits, else NaN, which every caller's range check
 * refuses with a message naming its variable. `Number()` alone takes far more: `0x10` (16), `1e3`
 * (1000), `0b1`, ` 80 ` and a blank value (0), so `PORT=0x10` listened on port 16.
 */
export function decimalInteger(raw: string): number {
  return /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
}
