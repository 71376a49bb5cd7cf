// The @sendgrid/client handed to @sendgrid/mail (MailService#setClient): the package's own Client, which
// builds every request as always (default request, headers, Authorization, User-Agent), posting it on
// node:http(s) with our keep-alive agents instead of through axios. axios' per-request work (config
// merging, header normalisation, its transform pipeline) was about a third of the mail client's CPU per
// mail. Answers come back exactly as the Client gives them: [Response, body] for 2xx, a ResponseError for
// >= 400, else an error carrying the response or the network error's code. With a proxy configured in
// the environment (which node:http does not honour) every request goes through the Client's axios path.
import http from "node:http";
import https from "node:https";
import { Client } from "@sendgrid/client";
import type { ClientRequest } from "@sendgrid/client/src/request";
import type { ClientResponse } from "@sendgrid/client/src/response";
import { Response, ResponseError } from "@sendgrid/helpers/classes";

type Answer = [ClientResponse, unknown];

interface Built {
  url: string;
  baseURL: string;
  method: string;
  data?: unknown;
  headers: Record<string, string>;
  timeout?: number;
  httpAgent?: http.Agent;
  httpsAgent?: https.Agent;
}

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

export class NodeHttpClient extends Client {
  constructor(private readonly loopback: boolean) {
    super();
  }

  override request(data: ClientRequest, cb?: (error: ResponseError, response: Answer) => void): Promise<Answer> {
    if (cb || (!this.loopback && PROXY_VARIABLES.some((name) => process.env[name]))) return super.request(data, cb);
    return post(this.createRequest(data) as unknown as Built);
  }
}

function post(options: Built): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const url = new URL(options.url, options.baseURL);
    const secure = url.protocol === "https:";
    const body = options.data === undefined ? undefined : Buffer.from(JSON.stringify(options.data));
    const headers: Record<string, string | number> = { ...options.headers };
    if (body) headers["Content-Length"] = body.length;
    const request = (secure ? https : http).request(url, { method: options.method, headers, agent: secure ? options.httpsAgent : options.httpAgent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const status = response.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString("utf8");
        const parsed = parseBody(text);
        if (status >= 200 && status < 300) return resolve([new Response(status, parsed, response.headers) as unknown as ClientResponse, parsed]);
        const answer = { status, statusText: response.statusMessage ?? "", headers: response.headers, data: parsed };
        if (status >= 400) return reject(new ResponseError(answer as never));
        reject(Object.assign(new Error(`Request failed with status code ${status}`), { response: answer }));
      });
    });
    if (options.timeout) {
      request.setTimeout(options.timeout, () => request.destroy(Object.assign(new Error(`timeout of ${options.timeout}ms exceeded`), { code: "ECONNABORTED" })));
    }
    request.on("error", reject);
    request.end(body);
  });
}

/** As axios reads an answer: JSON when it parses, else the text ("" for none). */
function parseBody(text: string): unknown {
  if (text === "") return "";
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
