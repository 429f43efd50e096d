using System.CommandLine;
using System.IO.Compression;
using Amazon;
using Amazon.S3;
using BackupUploader.Archiving;
using BackupUploader.Credentials;
using BackupUploader.Local;
using BackupUploader.Upload;

namespace BackupUploader;

/// <summary>The command line, and the two modes: local (emulator, no arguments) and real S3 (<c>--bucket</c>).</summary>
internal static class UploaderApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Stream standardInput, bool interactive, CancellationToken cancellationToken = default)
    {
        var path = new Argument<string?>("path")
        {
            Description = "The file or folder to back up (tar.gz), or - for standard input (gzip). Without --bucket and without a path, a generated sample is uploaded to the local emulator.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var bucket = new Option<string?>("--bucket", "-b") { Description = "Upload to this S3 bucket with the default credential chain (otherwise: local mode against moto_server)." };
        var key = new Option<string?>("--key") { Description = "The object key. Default: backups/<name>-<UTC time>.tar.gz." };
        var sse = new Option<string?>("--sse") { Description = "Server-side encryption: AES256 (default) or aws:kms." };
        sse.AcceptOnlyFromAmong("AES256", "aws:kms");
        var kmsKeyId = new Option<string?>("--kms-key-id") { Description = "The KMS key (id, ARN or alias) for aws:kms. Implies --sse aws:kms." };
        var roleArn = new Option<string?>("--role-arn") { Description = "A role to assume on top of the resolved credentials (sts:AssumeRole)." };
        var externalId = new Option<string?>("--external-id") { Description = "The External ID the role's trust policy requires (third-party access)." };
        var sessionName = new Option<string?>("--role-session-name") { Description = "The role session name (shows in CloudTrail). Default: derived by the library." };
        var region = new Option<string?>("--region") { Description = "The bucket's region. Default: AWS_REGION, AWS_DEFAULT_REGION, the profile, the instance." };
        var endpointUrl = new Option<string?>("--endpoint-url") { Description = "An S3-compatible endpoint (VPC endpoint, MinIO, an emulator). Path-style addressing." };
        var size = new Option<string?>("--size") { Description = "Local mode: size of the generated sample backup, e.g. 256MiB (default), 16MiB, 1GiB." };
        var partSize = new Option<string?>("--part-size") { Description = "The multipart part size, at least 5MiB. Default: 8MiB." };
        var parallel = new Option<int>("--parallel") { Description = "How many part buffers exist at once (memory = parallel x part size). Default: 4.", DefaultValueFactory = _ => 4 };
        var verify = new Option<string>("--verify") { Description = "checksum (size, S3 SHA-256 checksum, encryption; default), download (also re-download and hash) or none.", DefaultValueFactory = _ => "checksum" };
        verify.AcceptOnlyFromAmong("checksum", "download", "none");
        var compression = new Option<string>("--compression") { Description = "gzip level: fastest (default), optimal, smallest or none.", DefaultValueFactory = _ => "fastest" };
        compression.AcceptOnlyFromAmong("fastest", "optimal", "smallest", "none");

        var root = new RootCommand(
            "Backs up a file or folder to S3 (streamed tar.gz, parallel multipart upload, SSE AES256 or aws:kms, verified) with credentials " +
            "from WorkloadCredentials. Without arguments it runs end to end against a local AWS emulator (moto_server): web identity, " +
            "then a role with an External ID, then the upload.")
        {
            path, bucket, key, sse, kmsKeyId, roleArn, externalId, sessionName, region, endpointUrl, size, partSize, parallel, verify, compression,
        };

        root.SetAction(async (parse, token) =>
        {
            UploaderSettings settings;
            try
            {
                settings = BuildSettings(parse);
            }
            catch (UploaderException ex)
            {
                await error.WriteLineAsync(ex.Message);
                return ex.ExitCode;
            }

            return await RunAsync(settings, output, error, standardInput, interactive, token);
        });

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError parseError in parsed.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync("Run with --help for the options.");
            return ExitCodes.BadInput;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = TimeSpan.FromSeconds(45) }, cancellationToken);

        UploaderSettings BuildSettings(ParseResult parse)
        {
            string? bucketName = Blank(parse.GetValue(bucket));
            bool local = bucketName is null;
            string? kms = Blank(parse.GetValue(kmsKeyId));
            string? sseValue = parse.GetValue(sse);
            if (sseValue == "AES256" && kms is not null)
            {
                throw new UploaderException("--kms-key-id needs --sse aws:kms (it was given with --sse AES256). Drop one of them.", ExitCodes.BadInput);
            }

            string? role = Blank(parse.GetValue(roleArn));
            string? external = Blank(parse.GetValue(externalId));
            if (local && (role is not null || external is not null || Blank(parse.GetValue(region)) is not null || Blank(parse.GetValue(endpointUrl)) is not null))
            {
                throw new UploaderException(
                    "--role-arn, --external-id, --region and --endpoint-url apply to real S3 and need --bucket. Local mode (no --bucket) sets up its own role, External ID and emulator.",
                    ExitCodes.BadInput);
            }

            if (external is not null && role is null)
            {
                throw new UploaderException("--external-id needs --role-arn: the External ID is sent when assuming that role.", ExitCodes.BadInput);
            }

            string? sizeText = parse.GetValue(size);
            long sampleSize = UploaderSettings.DefaultSampleSize;
            if (sizeText is not null)
            {
                if (!local || parse.GetValue(path) is not null)
                {
                    throw new UploaderException("--size sets the size of local mode's generated sample; it does not apply with a path or --bucket.", ExitCodes.BadInput);
                }

                if (!Format.TryParseSize(sizeText, out sampleSize) || sampleSize <= 0)
                {
                    throw new UploaderException($"--size '{sizeText}' is not a size. Use a number with a unit, e.g. 256MiB, 16MiB or 1GiB.", ExitCodes.BadInput);
                }
            }

            long part = 8 * 1024 * 1024;
            if (parse.GetValue(partSize) is { } partText && (!Format.TryParseSize(partText, out part) || part < MultipartUploadOptions.MinimumPartSize || part > 512 * 1024 * 1024))
            {
                throw new UploaderException($"--part-size '{partText}' must be between 5MiB (S3's minimum) and 512MiB, e.g. 8MiB or 64MiB.", ExitCodes.BadInput);
            }

            Uri? endpoint = null;
            if (Blank(parse.GetValue(endpointUrl)) is { } endpointText
                && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)))
            {
                throw new UploaderException($"--endpoint-url '{endpointText}' is not an http(s) URL. Use for example https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000.", ExitCodes.BadInput);
            }

            int buffers = parse.GetValue(parallel);
            if (buffers is < 1 or > 64)
            {
                throw new UploaderException($"--parallel {buffers} must be between 1 and 64.", ExitCodes.BadInput);
            }

            return new UploaderSettings
            {
                Path = parse.GetValue(path),
                Bucket = bucketName,
                Key = Blank(parse.GetValue(key)),
                Encryption = sseValue == "aws:kms" || kms is not null ? ServerSideEncryption.Kms(kms) : ServerSideEncryption.Aes256,
                RoleArn = role,
                ExternalId = external,
                RoleSessionName = Blank(parse.GetValue(sessionName)),
                Region = Blank(parse.GetValue(region)),
                EndpointUrl = endpoint,
                SampleSize = sampleSize,
                PartSize = (int)part,
                Parallel = buffers,
                Verify = parse.GetValue(verify) switch { "download" => VerificationMode.Download, "none" => VerificationMode.None, _ => VerificationMode.Checksum },
                Compression = parse.GetValue(compression) switch
                {
                    "optimal" => CompressionLevel.Optimal,
                    "smallest" => CompressionLevel.SmallestSize,
                    "none" => CompressionLevel.NoCompression,
                    _ => CompressionLevel.Fastest,
                },
            };
        }
    }

    public static async Task<int> RunAsync(UploaderSettings settings, TextWriter output, TextWriter error, Stream standardInput, bool interactive, CancellationToken cancellationToken)
    {
        try
        {
            return settings.IsLocal
                ? await RunLocalAsync(settings, output, standardInput, interactive, cancellationToken)
                : await RunRealAsync(settings, output, standardInput, interactive, cancellationToken);
        }
        catch (UploaderException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ex.ExitCode;
        }
        catch (BackupInputException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled. Any multipart upload was aborted: nothing was stored.");
            return ExitCodes.Cancelled;
        }
    }

    private static async Task<int> RunLocalAsync(UploaderSettings settings, TextWriter output, Stream standardInput, bool interactive, CancellationToken cancellationToken)
    {
        BackupSource source = CreateSource(settings, standardInput);
        output.WriteLine("Local mode: an AWS emulator on loopback stands in for STS, IAM, S3, KMS and instance metadata; nothing leaves this machine.");

        // 1. Start the emulator (moto_server) on a free loopback port.
        MotoLauncher moto = await MotoLauncher.StartAsync(cancellationToken);
        int pid = moto.ProcessId;
        output.WriteLine($"Started moto_server (pid {pid}) on {moto.Endpoint}.");
        try
        {
            // 2. Set up what a platform team would: an IRSA role, a writer role that requires an External ID, a bucket, a KMS key, a token file.
            using LocalAwsEnvironment local = await LocalAwsEnvironment.CreateAsync(moto.Endpoint, cancellationToken);
            output.WriteLine($"Created web identity role {local.WebIdentityRoleArn} and service account token file.");
            output.WriteLine($"Created role {local.WriterRoleArn} (trust policy requires an External ID), bucket {LocalAwsEnvironment.BucketName} and KMS key {local.KmsKeyArn}.");

            // 3. Point STS, S3 and instance metadata at the emulator and hide the developer's own AWS settings.
            local.IsolateProcessEnvironment();

            // 4. From here on the emulator checks every signature and the role's policy. The first call is the only free one:
            //    AssumeRoleWithWebIdentity is unsigned by design (the token is the proof).
            await moto.EnableAuthenticationAsync(freeActions: 1, cancellationToken);

            // 5. Credentials: web identity (the token file) -> sts:AssumeRole with the External ID -> backup-writer role.
            using UploaderCredentials credentials = await CredentialSetup.CreateAsync(
                new CredentialRequest
                {
                    Region = LocalAwsEnvironment.Region,
                    WebIdentityRoleArn = local.WebIdentityRoleArn,
                    WebIdentityTokenFile = local.TokenFile,
                    RoleArn = local.WriterRoleArn,
                    ExternalId = local.ExternalId,
                    RoleSessionName = LocalAwsEnvironment.SessionName,
                },
                cancellationToken);

            // 6. Upload, verify, summarize.
            ServerSideEncryption encryption = settings.Encryption.IsKms ? ServerSideEncryption.Kms(settings.Encryption.KmsKeyId ?? local.KmsKeyArn) : settings.Encryption;
            var target = new UploadTarget(LocalAwsEnvironment.BucketName, settings.Key ?? DefaultKey(source), encryption);
            using AmazonS3Client s3 = S3ClientFactory.Create(credentials.SdkCredentials, LocalAwsEnvironment.Region, moto.Endpoint);
            return await new BackupJob(output, interactive).RunAsync(source, target, credentials, s3, settings, moto.Endpoint, cancellationToken);
        }
        finally
        {
            await moto.DisposeAsync();
            output.WriteLine($"Stopped moto_server (pid {pid}).");
        }
    }

    private static async Task<int> RunRealAsync(UploaderSettings settings, TextWriter output, Stream standardInput, bool interactive, CancellationToken cancellationToken)
    {
        if (settings.Path is null)
        {
            throw new UploaderException(
                $"Give the file or folder to back up: BackupUploader <path> --bucket {settings.Bucket}. (The generated sample is only for local mode, without --bucket.)",
                ExitCodes.BadInput);
        }

        BackupSource source = CreateSource(settings, standardInput);
        string region = settings.Region ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? FallbackRegion()
            ?? throw new UploaderException("No AWS region is set. Pass --region (the bucket's region) or set AWS_REGION.", ExitCodes.BadInput);

        // 1. Credentials from the default chain (environment, profile, web identity, container, instance profile), plus the role if given.
        using UploaderCredentials credentials = await CredentialSetup.CreateAsync(
            new CredentialRequest { Region = region, RoleArn = settings.RoleArn, ExternalId = settings.ExternalId, RoleSessionName = settings.RoleSessionName },
            cancellationToken);

        // 2. Upload, verify, summarize.
        var target = new UploadTarget(settings.Bucket!, settings.Key ?? DefaultKey(source), settings.Encryption);
        using AmazonS3Client s3 = S3ClientFactory.Create(credentials.SdkCredentials, region, settings.EndpointUrl);
        return await new BackupJob(output, interactive).RunAsync(source, target, credentials, s3, settings, settings.EndpointUrl, cancellationToken);
    }

    private static BackupSource CreateSource(UploaderSettings settings, Stream standardInput) => settings.Path switch
    {
        null => new GeneratedBackupSource(settings.SampleSize),
        "-" => new StandardInputBackupSource(standardInput),
        { } path => FileSystemBackupSource.Inspect(path),
    };

    private static string DefaultKey(BackupSource source) =>
        $"backups/{source.Name}-{TimeProvider.System.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}{source.Extension}";

    private static string? FallbackRegion()
    {
        try
        {
            return Amazon.Runtime.FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Amazon.Runtime.AmazonClientException)
        {
            return null;
        }
    }

    private static string? Env(string name) => Blank(Environment.GetEnvironmentVariable(name));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
