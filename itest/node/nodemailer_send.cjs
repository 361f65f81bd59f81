// Sends one message with nodemailer and prints the outcome as one JSON line; exits 0 either way.
//   node itest/node/nodemailer_send.cjs '{"port": 2525, "transport": {...}, "mail": {...}}'
// "transport" adds to (or replaces) nodemailer's SMTP options, "tls" among them (with "ca" a file
// name, read here); "mail" adds to the message. See itest/test_misbehaving_clients.py.
'use strict';
const fs = require('fs');
const nodemailer = require('nodemailer');

const options = JSON.parse(process.argv[2]);
const transport = Object.assign(
  { host: '127.0.0.1', port: options.port, secure: false, name: 'nodemailer.test', logger: false },
  options.transport || {}
);
if (transport.tls && transport.tls.ca) {
  transport.tls = Object.assign({}, transport.tls, { ca: fs.readFileSync(transport.tls.ca) });
}
const mail = Object.assign(
  { from: 'nodemailer@example.com', to: 'bob@example.com', subject: 'Sent by nodemailer', text: 'Hello.\n' },
  options.mail || {}
);

nodemailer
  .createTransport(transport)
  .sendMail(mail)
  .then((info) => console.log(JSON.stringify({ sent: true, response: info.response })))
  .catch((error) =>
    console.log(
      JSON.stringify({
        sent: false,
        code: error.code,
        command: error.command,
        responseCode: error.responseCode,
        message: error.message,
      })
    )
  );
