/**
 * The ceiling: a bare node:http server answering a small JSON body, run in its own process like the local host,
 * so both are measured under the same conditions (one server process, the load generator in another).
 */
import { createServer } from 'node:http';

const body = JSON.stringify({ error: "An instance with ID 'c1' already exists.", instanceId: 'c1', name: 'Counter' });

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(409, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') {
    process.send?.({ type: 'ready', port: address.port });
  }
});

process.on('disconnect', () => {
  server.closeAllConnections();
  server.close();
});
