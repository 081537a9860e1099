// The comparison client: Node's ws, parsing every frame, as the tooling baseline does.
// Prints the nanoseconds taken by the second half of the events (the first half warms up).
const WebSocket = require('ws');

const [url, total] = [process.argv[2], Number(process.argv[3])];
const half = total / 2;
let seen = 0;
let start = 0n;
const socket = new WebSocket(url);
socket.on('open', () => socket.send(JSON.stringify({ method: 'subscribe', filters: [] })));
socket.on('message', (data) => {
  const message = JSON.parse(data.toString());
  if (message.id === undefined) return;
  seen++;
  if (seen === half) start = process.hrtime.bigint();
  if (seen === total) {
    console.log((process.hrtime.bigint() - start).toString());
    socket.terminate();
  }
});
socket.on('error', (error) => { console.error(error.message); process.exit(1); });
