import { invalidateAfter } from './query.ts';

/**
 * Sends a multipart form with upload progress (XHR reports it; fetch does not). Fields go before the
 * file so the server reads them first. Resolves with the status and the parsed JSON body.
 */
export async function uploadWithProgress(
  method: 'POST' | 'PUT',
  url: string,
  form: FormData,
  onProgress: (percent: number) => void,
): Promise<{ status: number; body: { message?: string; details?: unknown } & Record<string, unknown> }> {
  const token = (await (await fetch('/api/v1/auth/csrf', { credentials: 'same-origin' })).json()).token as string;
  const ordered = new FormData();
  for (const [k, v] of form.entries()) if (k !== 'file') ordered.append(k, v);
  const file = form.get('file');
  if (file) ordered.append('file', file);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader('x-csrf-token', token);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body = {};
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      } catch {
        body = { message: xhr.statusText };
      }
      if (xhr.status < 400) void invalidateAfter(url);
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(ordered);
  });
}
