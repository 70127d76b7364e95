import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { MailConfig } from '../config.js';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Sends one message; throws when the server refuses it (the sender job retries). */
export interface Mailer {
  send(mail: OutgoingMail, id: string): Promise<void>;
  close(): void;
}

/**
 * SMTP when configured (nodemailer verifies the server's certificate; TLS verification is never
 * turned off), else the embedded default: each message is written as `<dataDir>/mail/<id>.eml`
 * so a development machine needs no mail server and an operator can open what would be sent.
 */
export function createMailer(config: MailConfig, dataDir: string): Mailer {
  if (config.smtpUrl !== undefined) {
    const transport = nodemailer.createTransport(config.smtpUrl);
    return {
      async send(mail) {
        await transport.sendMail({ from: config.from, ...mail, textEncoding: 'base64' });
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const dir = join(dataDir, 'mail');
  return {
    async send(mail, id) {
      const info = await transport.sendMail({ from: config.from, ...mail, textEncoding: 'base64' });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFile(join(dir, `${id}.eml`), info.message as Buffer, { mode: 0o600 });
    },
    close: () => transport.close(),
  };
}
