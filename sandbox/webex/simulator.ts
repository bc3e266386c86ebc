/** Starting and stopping the simulated Webex on 127.0.0.1. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSimulatorApp } from './server.js';
import { type SimulationOptions, WebexSimulation } from './simulation.js';

/** Options of {@link startWebexSimulator}. */
export interface WebexSimulatorOptions extends SimulationOptions {
  /** TCP port on 127.0.0.1; default 0 (any free port). */
  port?: number;
}

/** A running simulated Webex: the control surface plus its URLs. */
export class WebexSimulator extends WebexSimulation {
  private server: Server | undefined;
  private origin = '';

  /** Origin of the server, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return this.origin;
  }

  /** Base of the REST API (`${url}/v1`): what `HYDRA_SERVICE_URL` should be. */
  get apiUrl(): string {
    return `${this.origin}/v1`;
  }

  /** Base of the u2c catalog (`${url}/u2c/api/v1`): what `U2C_SERVICE_URL` should be. */
  get u2cUrl(): string {
    return `${this.origin}/u2c/api/v1`;
  }

  /** Starts listening; resolves once the port is bound. */
  async listen(port = 0): Promise<void> {
    const server = createServer(createSimulatorApp(this));
    // Device websockets (Mercury) share the port, as the SDK finds them through WDM's answer.
    server.on('upgrade', (req, socket, head) => {
      if (!this.mercury.handleUpgrade(req, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1' }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    this.server = server;
    this.origin = `http://127.0.0.1:${address.port}`;
  }

  /** Stops the server, drops open connections (event streams, websockets) and aborts pending deliveries. */
  async close(): Promise<void> {
    this.dispatcher.close();
    this.mercury.close();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  }
}

/**
 * Starts a simulated Webex on 127.0.0.1 with one bot identity.
 *
 * @example
 * const sim = await startWebexSimulator();
 * process.env.HYDRA_SERVICE_URL = sim.apiUrl;
 * process.env.U2C_SERVICE_URL = sim.u2cUrl;
 * const alice = sim.addPerson({ displayName: 'Alice', email: 'alice@example.com' });
 */
export async function startWebexSimulator(options: WebexSimulatorOptions = {}): Promise<WebexSimulator> {
  const simulator = new WebexSimulator(options);
  await simulator.listen(options.port ?? 0);
  return simulator;
}
