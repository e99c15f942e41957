/** A tiny browser stand-in for tests: its own cookie jar, no automatic redirects. */
export class Browser {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  constructor(
    private readonly base: string,
    private readonly defaults: Record<string, string> = {},
  ) {}

  async request(
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const cookie = [...this.cookies.entries()]
      .filter(([, c]) => path === c.path || path.startsWith(`${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    const response = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...this.defaults, ...(cookie ? { cookie } : {}), ...options.headers },
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const pathAttr = attributes.find((a) => a.toLowerCase().startsWith('path='));
      this.cookies.set(pair.slice(0, eq), {
        value: pair.slice(eq + 1),
        path: pathAttr ? pathAttr.slice(5) : '/',
      });
    }
    return response;
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  /** Posts a form, as the landing page's Join button does. */
  postForm(path: string, fields: Record<string, string>) {
    return this.request('POST', path, {
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** The Cookie header this browser sends to `path` (for clients that are not this class, e.g. SSE). */
  cookieFor(path: string): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => path === c.path || path.startsWith(`${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  hasCookies(): boolean {
    return this.cookies.size > 0;
  }
}

/** The agent's JSON API over real HTTP (embedded mode: loopback is the local agent). */
export class AgentApi {
  constructor(private readonly base: string) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined
        ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
        : {}),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return {
      status: response.status,
      json: json as Record<string, unknown> & {
        error?: { code: string; message: string; details?: Record<string, unknown> };
      },
      text,
    };
  }

  /** Creates a link and returns its code, id and path. */
  async create(body: Record<string, unknown> = {}) {
    const res = await this.call('POST', '/api/calls', body);
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
    const json = res.json as unknown as {
      call: { id: string };
      link: string;
      sms: { text: string };
      message: { text: string };
    };
    const path = new URL(json.link).pathname;
    return {
      id: json.call.id,
      link: json.link,
      path,
      code: path.split('/').pop()!,
      response: json,
    };
  }

  async state(id: string): Promise<string> {
    const res = await this.call('GET', `/api/calls/${id}`);
    return (res.json['call'] as { state: string }).state;
  }
}
