import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TestSmtpServer {
  /** Every message accepted, parsed. */
  readonly received: ParsedMail[];
  /** Recipients listed here are refused with 550. */
  readonly reject: Set<string>;
  /** `smtp://127.0.0.1:<port>` */
  readonly url: string;
  readonly close: () => Promise<void>;
}

/** A real SMTP server on a free loopback port (no STARTTLS, no auth). */
export async function startSmtp(): Promise<TestSmtpServer> {
  const received: ParsedMail[] = [];
  const reject = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (reject.has(address.address)) {
        const error = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    received,
    reject,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The single `To` address of a parsed message ('' when there is none or several). */
export const recipientOf = (mail: ParsedMail): string =>
  Array.isArray(mail.to) ? '' : (mail.to?.value[0]?.address ?? '');
