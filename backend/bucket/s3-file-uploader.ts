/**
 * Uploading a file from local disk into the policy bucket, streamed (one PutObject, up to S3's 5 GB):
 * the scheduled access report writes its files to the Lambda's /tmp first, so a report of any size is
 * never held in memory. Only PutObject: the report's Lambda may write and nothing else.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface FileUploader {
  /** For messages and notices: "s3://bucket". */
  readonly description: string;
  upload(key: string, path: string, contentType: string): Promise<void>;
}

export class S3FileUploader implements FileUploader {
  readonly description: string;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {
    this.description = `s3://${bucket}`;
  }

  async upload(key: string, path: string, contentType: string): Promise<void> {
    const { size } = await stat(path);
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: createReadStream(path), ContentLength: size, ContentType: contentType }),
    );
  }
}
