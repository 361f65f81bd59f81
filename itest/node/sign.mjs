// One message composed (and DKIM-signed) by nodemailer: written to stdout with CRLF line ends, or, given
// "port", sent over SMTP to 127.0.0.1:port as an application would send it.
// node sign.mjs '{"mail": {...}, "dkim": {"domainName", "keySelector", "privateKeyPath"} | null, "port": 2525}'
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';

const options = JSON.parse(process.argv[2]);
const transportOptions = options.port
    ? { host: '127.0.0.1', port: options.port, secure: false, ignoreTLS: true, name: 'app.example.com' }
    : { streamTransport: true, buffer: true, newline: 'windows' };
if (options.dkim) {
    transportOptions.dkim = {
        domainName: options.dkim.domainName,
        keySelector: options.dkim.keySelector,
        privateKey: readFileSync(options.dkim.privateKeyPath, 'utf8'),
    };
}
const info = await nodemailer.createTransport(transportOptions).sendMail(options.mail);
process.stdout.write(options.port ? info.response : info.message);
