import type restify from 'restify';

/** A locale as a client may name it (en-US, nl, zh-Hant-TW). */
export const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** An error as Direct Line reports one: the status and a JSON body that says why. */
export function fail(res: restify.Response, status: number, reason: string): void {
  res.status(status);
  res.json({ error: { code: status, message: reason } });
}
