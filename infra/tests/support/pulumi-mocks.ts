/**
 * Pulumi's own mock framework (`pulumi.runtime.setMocks`), set up for these tests: every registered resource
 * is recorded with its type, logical name, inputs and the resource options the engine would receive
 * (ignoreChanges, dependsOn), so tests can assert what `pulumi up` would send.
 *
 * Call {@link installMocks} BEFORE loading program modules: resources register against the monitor that is
 * current when they are constructed.
 */
import * as pulumi from "@pulumi/pulumi";

export type RecordedResource = {
  type: string;
  name: string;
  inputs: Record<string, any>;
  ignoreChanges: string[];
  dependencies: string[];
};

export type MockSetup = {
  stack?: string;
  config?: Record<string, string>;
};

export const PROJECT = "passport-scorer";
export const FAKE_ACCOUNT = "123456789012";

/** ARNs in the shapes the real services return, so parsing code (e.g. arn suffixes) sees realistic input. */
function fakeState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const region = "us-west-2";
  const physical = inputs.name ?? name;
  switch (type) {
    case "aws:lambda/function:Function":
      return {
        arn: `arn:aws:lambda:${region}:${FAKE_ACCOUNT}:function:${physical}`,
        version: "1",
        qualifiedArn: `arn:aws:lambda:${region}:${FAKE_ACCOUNT}:function:${physical}:1`,
      };
    case "aws:lambda/alias:Alias":
      return { arn: `arn:aws:lambda:${region}:${FAKE_ACCOUNT}:function:${inputs.functionName}:${physical}` };
    case "aws:lb/targetGroup:TargetGroup":
      return {
        arn: `arn:aws:elasticloadbalancing:${region}:${FAKE_ACCOUNT}:targetgroup/${physical}/0123456789abcdef`,
        arnSuffix: `targetgroup/${physical}/0123456789abcdef`,
      };
    default:
      return { arn: `arn:aws:mock:${region}:${FAKE_ACCOUNT}:${type.split(":").pop()}/${physical}` };
  }
}

export class ResourceLog {
  readonly resources: RecordedResource[] = [];

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  one(type: string, name?: string): RecordedResource {
    const matches = this.ofType(type).filter((r) => name === undefined || r.name === name);
    if (matches.length !== 1) {
      const seen = this.resources.map((r) => `${r.type} ${r.name}`).join(", ");
      throw new Error(`expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${matches.length}; registered: ${seen}`);
    }
    return matches[0];
  }
}

/** Installs the mocks; returns the log that fills as resources register. */
export function installMocks(setup: MockSetup = {}): ResourceLog {
  const log = new ResourceLog();
  const pending = new Map<string, { ignoreChanges: string[]; dependencies: string[] }>();

  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const options = pending.get(`${args.type}::${args.name}`) ?? { ignoreChanges: [], dependencies: [] };
        log.resources.push({ type: args.type, name: args.name, inputs: args.inputs, ...options });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...fakeState(args.type, args.name, args.inputs) } };
      },
      call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        if (args.token === "aws:index/getRegion:getRegion") return { name: "us-west-2", region: "us-west-2" };
        if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
          return { accountId: FAKE_ACCOUNT, arn: `arn:aws:iam::${FAKE_ACCOUNT}:user/test`, userId: "test" };
        }
        throw new Error(`unexpected provider call in test: ${args.token}`);
      },
    },
    PROJECT,
    setup.stack ?? "staging",
    false,
  );

  // The mock monitor hands newResource only type/name/inputs. Wrap its registerResource to also keep the
  // options from the same request the engine would get, then let Pulumi's own implementation answer.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: any, callback: (err: any, res: any) => void): Promise<void>;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, res: any) => void) => {
    pending.set(`${req.getType()}::${req.getName()}`, {
      ignoreChanges: req.getIgnorechangesList(),
      dependencies: req.getDependenciesList(),
    });
    return original(req, callback);
  };

  pulumi.runtime.setAllConfig(setup.config ?? {});
  return log;
}

/** The resolved value of an Output (under mocks every value is known). */
export function valueOf<T>(output: pulumi.Input<T> | undefined): Promise<T> {
  return new Promise((resolve) => pulumi.output(output as pulumi.Input<T>).apply((v) => resolve(v as T)));
}

/** Waits until the given resources have been registered (their URNs resolve once the mock monitor answered). */
export async function registered(...resources: pulumi.Resource[]): Promise<void> {
  await Promise.all(resources.map((r) => valueOf(r.urn)));
}
