import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';

/** A received email, parsed. */
export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  receivedAt: number;
  /** Each header as sent (folded lines joined), by its lower-case name: `list-unsubscribe`, … */
  headers: Record<string, string>;
}

/**
 * A real SMTP server on loopback that keeps what it receives; `reject` makes it answer 550 for an address, `tempFail`
 * 421 to every MAIL FROM while it returns true (a relay that is down for a while).
 */
export async function startSmtpSink(opts: { reject?: (rcpt: string) => boolean; tempFail?: () => boolean } = {}) {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, cb) {
      if (opts.tempFail?.()) return cb(Object.assign(new Error('Service not available, try again later'), { responseCode: 421 }));
      cb();
    },
    onRcptTo(address, _session, cb) {
      if (opts.reject?.(address.address)) {
        const err = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream).then((m) => {
        const headers: Record<string, string> = {};
        for (const h of m.headerLines) headers[h.key] = h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          subject: m.subject ?? '', html: typeof m.html === 'string' ? m.html : '', text: m.text ?? '',
          messageId: m.messageId ?? '', receivedAt: Date.now(), headers,
        });
        cb();
      }, cb);
    },
  });
  // A client that dies mid-session (a killed worker's pooled connection) resets its socket; a relay shrugs that off.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    mails,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
