// A mail as the product writes it, apart from how it is sent (../io/mail.ts sends it).
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}
