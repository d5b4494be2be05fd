import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * How a reply's body is cut:
 * - `content-length`: the full length is promised, half the body is sent, then the socket is closed;
 * - `chunked`: a complete chunked response whose JSON text stops half way.
 */
export type Truncation = 'content-length' | 'chunked';

export interface TruncatingProxyOptions {
  how: Truncation;
  /** Which replies to cut: the request and the status the target answered. */
  pick: (req: { method: string; path: string }, status: number) => boolean;
  /** How many of the picked replies to cut (default 1). */
  count?: number;
  /**
   * A list that lags behind writes: after a cut create, this many list reads of the same object leave
   * out the records that create made (default 0).
   */
  lagLists?: number;
}

export interface TruncatingProxy {
  /** The sandbox's base URL, as seen through the proxy. */
  baseUrl: string;
  /** How many replies were cut so far. */
  truncated(): number;
  /** How many list replies left records out. */
  lagged(): number;
  close(): Promise<void>;
}

/**
 * A proxy on 127.0.0.1 in front of a sandbox that passes everything through, except the replies `pick`
 * chooses: their status and headers go through, their body is cut as `how` says.
 */
export async function startTruncatingProxy(
  upstreamBaseUrl: string,
  options: TruncatingProxyOptions,
): Promise<TruncatingProxy> {
  const upstream = new URL(upstreamBaseUrl);
  const sockets = new Set<Socket>();
  let cut = 0;
  let lagged = 0;
  let hidden: { object: string; ids: Set<string>; reads: number } | undefined;

  const answer = (
    method: string,
    path: string,
    status: number,
    body: Buffer,
  ): { whole: Buffer } | { cut: Buffer } => {
    const object = /\/objects\/([^/]+)\//.exec(path)?.[1] ?? '';
    if (cut < (options.count ?? 1) && body.length > 1 && options.pick({ method, path }, status)) {
      cut += 1;
      const ids = idsOf(body);
      if (options.lagLists) hidden = { object, ids, reads: options.lagLists };
      return { cut: body.subarray(0, Math.floor(body.length / 2)) };
    }
    if (
      hidden &&
      hidden.reads > 0 &&
      method === 'GET' &&
      path.includes(`/objects/${hidden.object}/resources`)
    ) {
      hidden.reads -= 1;
      lagged += 1;
      const page = JSON.parse(body.toString('utf8')) as { data: { id: string }[] };
      const seen = hidden.ids;
      return {
        whole: Buffer.from(JSON.stringify({ ...page, data: page.data.filter((r) => !seen.has(r.id)) })),
      };
    }
    return { whole: body };
  };

  const server: Server = createServer((req, res) => {
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (reply) => {
        const parts: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => parts.push(chunk));
        reply.on('end', () => {
          const body = Buffer.concat(parts);
          const status = reply.statusCode ?? 502;
          const out = answer(req.method ?? '', req.url ?? '', status, body);
          if ('whole' in out) {
            res.writeHead(status, withLength(reply.headers, out.whole.length));
            res.end(out.whole);
          } else if (options.how === 'content-length') {
            res.writeHead(status, withLength(reply.headers, body.length));
            res.write(out.cut, () => res.socket?.destroy());
          } else {
            res.writeHead(status, { ...withoutLength(reply.headers), 'transfer-encoding': 'chunked' });
            res.end(out.cut);
          }
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${upstream.pathname}`,
    truncated: () => cut,
    lagged: () => lagged,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

/** The ids of the records a create's whole reply holds (`data` a record or a list of them). */
function idsOf(body: Buffer): Set<string> {
  try {
    const data = (JSON.parse(body.toString('utf8')) as { data?: unknown }).data;
    const records = (Array.isArray(data) ? data : [data]) as { id?: unknown }[];
    return new Set(records.flatMap((r) => (typeof r?.id === 'string' ? [r.id] : [])));
  } catch {
    return new Set();
  }
}

const withoutLength = (headers: IncomingHttpHeaders): IncomingHttpHeaders => {
  const {
    'content-length': _length,
    'transfer-encoding': _encoding,
    connection: _connection,
    ...rest
  } = headers;
  return rest;
};

const withLength = (headers: IncomingHttpHeaders, length: number): IncomingHttpHeaders => ({
  ...withoutLength(headers),
  'content-length': String(length),
});
