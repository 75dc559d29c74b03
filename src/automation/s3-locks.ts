import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { StackLock } from "./locks.ts";
import { PROJECT } from "./backend-url.ts";

/** Bucket, key prefix and client settings of an `s3://bucket/prefix?region=…&endpoint=…` backend URL. */
export function s3Backend(url: string): { bucket: string; prefix: string; region?: string; endpoint?: string; pathStyle: boolean } {
  const u = new URL(url);
  const q = u.searchParams;
  const pathStyle = (q.get("use_path_style") ?? q.get("s3ForcePathStyle") ?? "false") === "true";
  return {
    bucket: u.hostname,
    prefix: u.pathname.replace(/^\/+|\/+$/g, ""),
    ...(q.get("region") ? { region: q.get("region")! } : {}),
    ...(q.get("endpoint") ? { endpoint: q.get("endpoint")! } : {}),
    pathStyle,
  };
}

/** The lock objects of a stack on an S3 backend, read with the AWS SDK's default credentials. */
export async function readS3Locks(url: string, stack: string): Promise<StackLock[]> {
  const b = s3Backend(url);
  const client = new S3Client({ region: b.region ?? process.env.AWS_REGION ?? "us-east-1", endpoint: b.endpoint, forcePathStyle: b.pathStyle });
  const base = b.prefix === "" ? ".pulumi/locks" : `${b.prefix}/.pulumi/locks`;
  const locks: StackLock[] = [];
  for (const dir of [`${base}/organization/${PROJECT}/${stack}/`, `${base}/${stack}/`]) {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: b.bucket, Prefix: dir }));
    for (const object of listed.Contents ?? []) {
      if (!object.Key?.endsWith(".json")) continue;
      const body = await (await client.send(new GetObjectCommand({ Bucket: b.bucket, Key: object.Key }))).Body?.transformToString();
      const raw = JSON.parse(body ?? "{}") as Partial<StackLock>;
      locks.push({ file: `s3://${b.bucket}/${object.Key}`, pid: Number(raw.pid), username: String(raw.username), hostname: String(raw.hostname), timestamp: String(raw.timestamp) });
    }
  }
  return locks;
}
