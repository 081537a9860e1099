'use strict';
// The anchor: Node's `ws` client, parsing every frame with JSON.parse, in its own process.
// Usage: node client.cjs --url wss://127.0.0.1:PORT/websocket --ca cert.pem --warmup N --measured N [--latency 1]
//   [--parse 0]  (counts the messages after the subscription's status without parsing them: the floor of the anchor)
// Prints one line: RESULT {"events":N,"nanos":N,"cpuNanos":N}, for the events after the warm-up; with --latency,
// the percentiles of the time from the feed's write (properties.sent) to the parsed message, in microseconds.
const fs = require('fs');
const WebSocket = require('ws');

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  (arg.startsWith('--') ? pairs.concat([[arg.slice(2), all[i + 1]]]) : pairs), []));
const warmUp = Number(args.warmup);
const total = warmUp + Number(args.measured);
let seen = 0;
let start;
let cpuStart;
let sink = 0;
const latencies = args.latency ? new Float64Array(Number(args.measured)) : null;
const parse = args.parse !== '0';
let status = false;

const ws = new WebSocket(args.url, { ca: fs.readFileSync(args.ca), perMessageDeflate: false });
ws.on('open', () => ws.send('{"method":"subscribe","filters":[]}'));
ws.on('message', (data) => {
  if (!parse && !status) {
    status = true;
    return; // the subscription's status, the first message
  }
  const message = parse ? JSON.parse(data) : { id: data.length };
  if (message.id === undefined) {
    return; // the subscription's status
  }
  if (latencies !== null) {
    if (seen >= warmUp) {
      latencies[seen - warmUp] = Number(process.hrtime.bigint() - BigInt(message.properties.sent)) / 1000;
    }
    if (seen + 1 === total) {
      latencies.sort();
      const at = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]);
      console.log('RESULT ' + JSON.stringify({ p50Micros: at(0.5), p99Micros: at(0.99), p999Micros: at(0.999),
        maxMicros: Math.round(latencies[latencies.length - 1]) }));
      process.exit(0);
    }
  }
  sink += message.id & 1;
  seen++;
  if (seen === warmUp) {
    start = process.hrtime.bigint();
    cpuStart = process.cpuUsage();
  }
  if (seen === total) {
    const nanos = Number(process.hrtime.bigint() - start);
    const cpu = process.cpuUsage(cpuStart);
    console.log('RESULT ' + JSON.stringify({ events: total - warmUp, nanos,
      cpuNanos: (cpu.user + cpu.system) * 1000, sink }));
    ws.terminate();
    process.exit(0);
  }
});
ws.on('error', (error) => {
  console.error('client: ' + error.message);
  process.exit(1);
});
