import type { Activity } from 'botbuilder';
import type { ReportSettings } from '../infrastructure/config';

/** What Teams sends for a file shared in a personal chat (the app manifest's supportsFiles). */
export const TEAMS_FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
/** Attachments that are never a user's file: cards (Teams' text/html copy of the message has no contentUrl). */
const NOT_FILES = /^application\/vnd\.microsoft\.(card\.|teams\.card\.)/i;

export interface ReportFileRef {
  name: string;
  contentType: string;
  url: string;
}

export type Download =
  { ok: true; bytes: Uint8Array } | { ok: false; problem: 'tooLarge' | 'downloadFailed' };

/** The files a message carries: a Teams file's downloadUrl, or an upload's contentUrl (Web Chat, Emulator). */
export function reportFilesOf(activity: Partial<Activity>): ReportFileRef[] {
  const files: ReportFileRef[] = [];
  for (const attachment of activity.attachments ?? []) {
    if (!attachment || typeof attachment !== 'object') continue;
    const contentType = typeof attachment.contentType === 'string' ? attachment.contentType : '';
    const name = typeof attachment.name === 'string' ? attachment.name.slice(0, 200) : '';
    if (contentType === TEAMS_FILE_DOWNLOAD_INFO) {
      const content = attachment.content as { downloadUrl?: unknown; fileType?: unknown } | undefined;
      if (typeof content?.downloadUrl === 'string') {
        const fileType = typeof content.fileType === 'string' ? content.fileType : '';
        files.push({ name: name || `file.${fileType}`, contentType: '', url: content.downloadUrl });
      }
      continue;
    }
    if (NOT_FILES.test(contentType)) continue;
    if (typeof attachment.contentUrl === 'string' && attachment.contentUrl)
      files.push({ name, contentType, url: attachment.contentUrl });
  }
  return files;
}

/** Host names a channel serves its users' files from (a leading dot: the domain and its subdomains). */
const CHANNEL_FILE_HOSTS: Record<string, string[]> = {
  // Teams hands the bot a pre-authenticated SharePoint / OneDrive download link.
  msteams: ['.sharepoint.com'],
  // Azure Bot Service's Web Chat and Direct Line keep uploads on their own hosts.
  webchat: ['.botframework.com'],
  directline: ['.botframework.com'],
};

function hostMatches(host: string, allowed: string): boolean {
  return allowed.startsWith('.') ? host.endsWith(allowed) : host === allowed;
}

/**
 * Server-side request forgery protection: a file is downloaded only from where the message's
 * channel keeps files. The Emulator serves uploads from its own serviceUrl, so there the file's
 * host and port must be the serviceUrl's, and that host this machine (a sender can claim any
 * serviceUrl; the Emulator runs beside the bot); Teams files come from SharePoint; Web Chat and Direct
 * Line files from botframework.com; REPORT_DOWNLOAD_HOSTS adds hosts. data: URLs need no download.
 */
export function isAllowedFileUrl(
  url: string,
  activity: Partial<Activity>,
  extraHosts: string[] = [],
): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol === 'data:') return true;
  if (target.username || target.password) return false;
  const host = target.hostname.toLowerCase();
  if (activity.channelId === 'emulator') {
    try {
      const service = new URL(activity.serviceUrl ?? '');
      const loopback = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/.test(host);
      return (
        (target.protocol === 'http:' || target.protocol === 'https:') &&
        target.host === service.host &&
        (loopback || extraHosts.some((a) => hostMatches(host, a)))
      );
    } catch {
      return false;
    }
  }
  if (target.protocol !== 'https:') return false;
  const allowed = [...(CHANNEL_FILE_HOSTS[activity.channelId ?? ''] ?? []), ...extraHosts];
  return allowed.some((a) => hostMatches(host, a));
}

/** Reads a data: URL (base64 or percent-encoded) without any request. */
function fromDataUrl(url: string, maxBytes: number): Download {
  const comma = url.indexOf(',');
  if (comma < 0) return { ok: false, problem: 'downloadFailed' };
  const meta = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  if ((payload.length * 3) / 4 > maxBytes + 4) return { ok: false, problem: 'tooLarge' };
  try {
    const bytes = meta.endsWith(';base64')
      ? Buffer.from(payload, 'base64')
      : Buffer.from(decodeURIComponent(payload), 'utf8');
    return bytes.length > maxBytes ? { ok: false, problem: 'tooLarge' } : { ok: true, bytes };
  } catch {
    return { ok: false, problem: 'downloadFailed' };
  }
}

/**
 * Downloads a file within MAX_REPORT_BYTES and the time-out, following no redirect (an allowed
 * host could otherwise send the bot anywhere). Nothing is written to disk.
 */
export async function downloadReportFile(url: string, settings: ReportSettings): Promise<Download> {
  if (url.startsWith('data:')) return fromDataUrl(url, settings.maxBytes);
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.fetchTimeoutMs),
    });
    if (!response.ok || !response.body) return { ok: false, problem: 'downloadFailed' };
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > settings.maxBytes) {
      await response.body.cancel();
      return { ok: false, problem: 'tooLarge' };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > settings.maxBytes) {
        await reader.cancel();
        return { ok: false, problem: 'tooLarge' };
      }
      chunks.push(value);
    }
    return { ok: true, bytes: Buffer.concat(chunks) };
  } catch {
    return { ok: false, problem: 'downloadFailed' };
  }
}
