'use strict';
// An independent TLS feed for the benchmarks: Node's `ws` server on loopback, in its own process, answering each
// subscription with Arvados-shaped update events, and the least REST API the starter asks before it connects
// (discovery, users/current; the logs list is unavailable so the live path alone is measured).
// Each event is one message from one template with fixed-width ids, given to `ws.send` (what a `ws` server does,
// and arvados-ws writes one event per Write), and the feed waits for 'drain' when the socket's buffer is full
// (TCP flow control), as the real server's writes do. On the wire this alternates one message written alone with
// 16 KiB TLS records of the ~24 messages that queued behind it (see `strace -f -e trace=write,writev`).
// `--framing batch` writes pre-framed bytes in 64 KiB batches straight to the TLS socket instead (frames cut across
// records anywhere): the feed of the runs before 2026-12-08, kept to compare (benchmarks/README.md).
//
// Usage: node feed.cjs --cert C --key K --padding BYTES --phases COUNT:RATE[,COUNT:RATE...] [--framing send|batch]
//   RATE 0 is as fast as the client reads; "pause:MS" waits (for the client to drain a warm-up, say).
//   Prints "PORT <n>" once listening.
// properties.sent is process.hrtime (CLOCK_MONOTONIC, as Java's System.nanoTime on Linux), for latency.
const fs = require('fs');
const https = require('https');
const { WebSocketServer } = require('ws');

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  (arg.startsWith('--') ? pairs.concat([[arg.slice(2), all[i + 1]]]) : pairs), []));
const padding = Number(args.padding || 0);
const phases = (args.phases || '1000:0').split(',').map((p) => p.split(':').map(Number));
const framing = args.framing || 'send';
if (framing !== 'send' && framing !== 'batch') {
  throw new Error('--framing is send or batch, not ' + framing);
}
const FIRST_ID = 10000000;

const json = '{"event_at":"2026-11-23T00:32:34.828334Z","event_type":"update","id":' + FIRST_ID
  + ',"msgID":' + FIRST_ID + ',"object_kind":"arvados#collection",'
  + '"object_owner_uuid":"zzzzz-tpzed-xurymjxw79nv3jz","object_uuid":"zzzzz-4zz18-0123456789abcde",'
  + '"properties":{"new_attributes":{"is_trashed":false,"name":"bar","owner_uuid":'
  + '"zzzzz-tpzed-xurymjxw79nv3jz","portable_data_hash":"d41d8cd98f00b204e9800998ecf8427e+0",'
  + '"state":"Committed"},"old_attributes":{"is_trashed":false,"name":"foo","owner_uuid":'
  + '"zzzzz-tpzed-xurymjxw79nv3jz","portable_data_hash":"d41d8cd98f00b204e9800998ecf8427e+0",'
  + '"state":"Uncommitted"},"sent":"0000000000000000000"'
  + (padding > 0 ? ',"text":"' + 'x'.repeat(padding) + '"' : '')
  + '},"uuid":"zzzzz-57u5n-0123456789abcde"}';
const payload = Buffer.from(json, 'ascii');
const header = payload.length < 126 ? Buffer.from([0x81, payload.length])
  : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
const frame = Buffer.concat([header, payload]);
const idAt = header.length + json.indexOf('"id":') + 5;
const msgIdAt = header.length + json.indexOf('"msgID":') + 8;
const sentAt = header.length + json.indexOf('"sent":') + 8;
const perBatch = Math.max(1, Math.floor(64 * 1024 / frame.length));

function digits(buffer, offset, value, width) {
  const text = String(value);
  buffer.write('0'.repeat(width - text.length) + text, offset, 'ascii');
}

// count copies of the template (the frame, or its payload with offset the header's length), stamped.
function fill(batch, count, firstId, template, offset) {
  const sent = String(process.hrtime.bigint()).padStart(19, '0');
  for (let i = 0; i < count; i++) {
    const at = i * template.length - offset;
    template.copy(batch, at + offset);
    digits(batch, at + idAt, firstId + i, 8);
    digits(batch, at + msgIdAt, firstId + i, 8);
    batch.write(sent, at + sentAt, 'ascii');
  }
  return batch.subarray(0, count * template.length);
}

// One message per event, each its own ws.send; waits for 'drain' once the socket's buffer is full.
function sender(ws) {
  const socket = ws._socket;
  return async (count, firstId) => {
    const batch = fill(Buffer.allocUnsafe(count * payload.length), count, firstId, payload, header.length);
    for (let i = 0; i < count && !socket.destroyed; i++) {
      ws.send(batch.subarray(i * payload.length, (i + 1) * payload.length), { binary: false });
      if (socket.writableNeedDrain) await new Promise((resolve) => socket.once('drain', resolve));
    }
  };
}

// Pre-framed bytes straight to the TLS socket, in one write per batch.
function writer(ws) {
  const socket = ws._socket;
  return async (count, firstId) => {
    if (!socket.write(fill(Buffer.allocUnsafe(count * frame.length), count, firstId, frame, 0))) {
      await new Promise((resolve) => socket.once('drain', resolve));
    }
  };
}

async function serve(ws) {
  const socket = ws._socket;
  socket.setNoDelay(true);
  const send = (framing === 'send') ? sender(ws) : writer(ws);
  let id = FIRST_ID;
  for (const [count, rate] of phases) {
    const end = id + count;
    if (Number.isNaN(count)) {
      await new Promise((resolve) => setTimeout(resolve, rate));
    } else if (rate === 0) {
      while (id < end && !socket.destroyed) {
        const n = Math.min(perBatch, end - id);
        await send(n, id);
        id += n;
      }
    } else {
      const start = process.hrtime.bigint();
      const first = id;
      while (id < end && !socket.destroyed) {
        const due = first + Math.min(count, Number((process.hrtime.bigint() - start) * BigInt(rate) / 1000000000n));
        if (due > id) {
          const n = due - id;
          await send(n, id);
          id += n;
        }
        // A timer, not setImmediate: a feed spinning on its event loop takes a core from the client on two.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  }
}

const api = {
  '/arvados/v1/users/current': '{"kind":"arvados#user","uuid":"zzzzz-tpzed-000000000000000"}',
};
const server = https.createServer({ cert: fs.readFileSync(args.cert), key: fs.readFileSync(args.key) },
  (request, response) => {
    const path = request.url.split('?')[0];
    const body = path === '/discovery/v1/apis/arvados/v1/rest'
      ? JSON.stringify({ kind: 'discovery#restDescription',
        websocketUrl: 'wss://127.0.0.1:' + server.address().port + '/websocket' })
      : api[path];
    if (body === undefined) {
      response.writeHead(path === '/arvados/v1/logs' ? 503 : 404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
  });
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    ws.once('message', () => {
      ws.send('{"status":200}', () => serve(ws).catch(() => {}));
    });
    ws.on('error', () => {});
  });
});
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
process.on('SIGTERM', () => process.exit(0));
