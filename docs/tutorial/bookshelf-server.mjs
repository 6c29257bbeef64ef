// Bookshelf: the small API of docs/writing-a-profile.md, written with node:http alone and without
// authconform, as your own server would be. Its test instance is seeded with one key and one book.
// Start it with `node bookshelf-server.mjs` (PORT, default 8080).
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/** The keys this instance issued: the tutorial's credentials.yaml names the first. */
export const ISSUED_KEYS = new Set(['bk_test_4f9a2c7e1d8b3a6f0e5c9d2b']);

export function createBookshelfServer() {
  const books = new Map([['b-1001', { id: 'b-1001', title: 'The Left Hand of Darkness' }]]);
  let next = 1002;
  const answer = (res, status, body) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const refuse = (res, status, error, message) => answer(res, status, { error, message });

  return createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    if (!ISSUED_KEYS.has(String(req.headers['x-api-key'] ?? '')))
      return refuse(res, 401, 'unauthorized', 'Send a valid key in X-API-Key.');
    const path = new URL(req.url ?? '/', 'http://bookshelf').pathname;
    if (req.method === 'GET' && path === '/v1/books')
      return answer(res, 200, { data: [...books.values()] });
    if (req.method === 'POST' && path === '/v1/books') {
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (typeof body?.title !== 'string' || body.title === '')
        return refuse(res, 400, 'bad_request', 'Send a JSON body with a title.');
      const book = { id: `b-${next++}`, title: body.title };
      books.set(book.id, book);
      return answer(res, 201, book);
    }
    const id = /^\/v1\/books\/([^/]+)$/.exec(path)?.[1];
    if (req.method === 'GET' && id !== undefined && books.has(decodeURIComponent(id)))
      return answer(res, 200, books.get(decodeURIComponent(id)));
    return refuse(res, 404, 'not_found', 'No such book.');
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 8080);
  createBookshelfServer().listen(port, '127.0.0.1', () =>
    console.log(`Bookshelf listening on http://127.0.0.1:${port}`),
  );
}
