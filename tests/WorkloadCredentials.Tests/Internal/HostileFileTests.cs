using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using WorkloadCredentials.Caching;
using WorkloadCredentials.Caching.Internal;
using WorkloadCredentials.Container;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles;
using WorkloadCredentials.Tests.Profiles;
using WorkloadCredentials.WebIdentity.Internal;
using Microsoft.Extensions.Logging.Abstractions;

using WorkloadCredentials.Tests.Infrastructure;
using WorkloadCredentials.Internal.Telemetry;

namespace WorkloadCredentials.Tests.Internal;

/// <summary>Runs the hostile-file tests alone: their allocation bound is measured process-wide, so no other test may allocate meanwhile.</summary>
[CollectionDefinition(nameof(HostileFileCollection), DisableParallelization = true)]
public sealed class HostileFileCollection;

/// <summary>
/// Every file the library reads (web identity token, shared config, shared credentials, container authorization token) pointed at
/// something hostile: each call ends within 2 s, allocates little, and says what the file is (issue 9, items 7, 8 and 15).
/// </summary>
[Collection(nameof(HostileFileCollection))]
public sealed class HostileFileTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);
    private const long MaxAllocatedBytes = 64L * 1024 * 1024;

    private readonly string _directory = Directory.CreateTempSubdirectory("wc-hostile-").FullName;
    private readonly List<IDisposable> _cleanup = [];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        string[] targets = ["web-identity", "config", "credentials", "container"];
        (string Kind, string Expected)[] kinds =
        [
            ("fifo", "is a FIFO (named pipe), not a regular file"),
            ("symlink-to-fifo", "is a FIFO (named pipe), not a regular file"),
            ("dev-zero", "is a character device, not a regular file"),
            ("directory", "is a directory, not a file"),
            ("socket", "is a socket, not a regular file"),
            ("huge-sparse", "is larger than"),
            ("invalid-utf8", "is not valid UTF-8 text (line 2, byte 5)"),
        ];
        foreach (string target in targets)
        {
            foreach ((string kind, string expected) in kinds)
            {
                data.Add(target, kind, expected);
            }
        }

        return data;
    }

    public void Dispose()
    {
        foreach (IDisposable item in _cleanup)
        {
            item.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GetCredentialsAsync_HostileFile_FailsFastWithClearMessage(string target, string kind, string expected)
    {
        string path = CreateHostile(kind);
        IAwsCredentialSource source = CreateSource(target, path);

        (Exception? error, TimeSpan elapsed, long allocated) = await RunBoundedAsync(source);

        Assert.True(elapsed < Bound, $"took {elapsed}");
        Assert.True(allocated < MaxAllocatedBytes, $"allocated {allocated} bytes");
        var ex = Assert.IsAssignableFrom<AwsCredentialException>(error);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(Setting(target), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web-identity")]
    [InlineData("config")]
    [InlineData("credentials")]
    [InlineData("container")]
    public async Task GetCredentialsAsync_FileRewrittenWhileRead_EndsWithinBound(string target)
    {
        string path = Path.Combine(_directory, "changing");
        await File.WriteAllTextAsync(path, "x", TestContext.Current.CancellationToken);
        IAwsCredentialSource source = CreateSource(target, path);
        using var stop = new CancellationTokenSource();
        byte[] big = new byte[8 * 1024 * 1024];
        big.AsSpan().Fill((byte)'a');
        Task writer = Task.Run(
            () =>
            {
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    // Unbuffered: the writer allocates next to nothing, so the bound measures the reader.
                    using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
                    stream.Write(big, 0, i % 2 == 0 ? big.Length : 10);
                }
            },
            TestContext.Current.CancellationToken);

        try
        {
            for (int i = 0; i < 5; i++)
            {
                (Exception? error, TimeSpan elapsed, long allocated) = await RunBoundedAsync(source);
                Assert.True(elapsed < Bound, $"took {elapsed}");
                Assert.True(allocated < MaxAllocatedBytes, $"allocated {allocated} bytes");
                Assert.NotNull(error);
            }
        }
        finally
        {
            // Stopped whatever the outcome: a writer left running would fill the directory Dispose deletes.
            await stop.CancelAsync();
            await writer;
        }
    }

    [Fact]
    public async Task Cache_ConfigFileIsFifoThenFixed_RecoversWithoutHoldingTheRefresh()
    {
        string path = CreateHostile("fifo");
        IAwsCredentialSource source = CreateSource("config", path);
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var cache = new RefreshingCredentialCache(source, new CredentialCacheOptions(), time, CredentialTelemetry.Null, () => 0.5, static r => r(), TimeSpan.FromSeconds(1));

        Task<AwsCredentials> first = cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask();
        var error = await Assert.ThrowsAnyAsync<AwsCredentialException>(() => first.WaitAsync(Bound, TestContext.Current.CancellationToken));
        Assert.Contains("is a FIFO (named pipe)", error.Message, StringComparison.Ordinal);

        File.Delete(path);
        await File.WriteAllTextAsync(path, "[profile dev]\naws_access_key_id = AKIDFIXED\naws_secret_access_key = fixed-secret-value\n", TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(15));

        AwsCredentials credentials = await cache.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Bound, TestContext.Current.CancellationToken);
        Assert.Equal("AKIDFIXED", credentials.AccessKeyId);
    }

    private static async Task<(Exception? Error, TimeSpan Elapsed, long Allocated)> RunBoundedAsync(IAwsCredentialSource source)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        Task<AwsCredentials> call = Task.Run(() => source.GetCredentialsAsync(TestContext.Current.CancellationToken).AsTask(), TestContext.Current.CancellationToken);
        Exception? error = null;
        try
        {
            await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            error = ex;
        }

        return (error, watch.Elapsed, GC.GetTotalAllocatedBytes(precise: true) - before);
    }

    private static string Setting(string target) =>
        target switch
        {
            "web-identity" => "AWS_WEB_IDENTITY_TOKEN_FILE",
            "config" => "AWS_CONFIG_FILE",
            "credentials" => "AWS_SHARED_CREDENTIALS_FILE",
            _ => "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        };

    private IAwsCredentialSource CreateSource(string target, string path)
    {
        var environment = new Dictionary<string, string> { ["HOME"] = _directory, ["AWS_PROFILE"] = "dev", [Setting(target)] = path };
        var options = new WorkloadCredentialsOptions { Region = "eu-west-1" };
        options.Sts.EndpointUrl = "http://127.0.0.1:9/";
        options.Sts.MaxRetryAttempts = 0;
        switch (target)
        {
            case "web-identity":
                environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/app";
                return WebIdentitySourceFactory.FromContext(NetworkSafety.Guarded(options, new DictionaryEnvironment(environment)));
            case "container":
                environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:9/creds";
                var container = new ContainerCredentialSource(NetworkSafety.Guarded(options, new DictionaryEnvironment(environment)));
                _cleanup.Add(container);
                return container;
            default:
                return new ProfileCredentialSource(NetworkSafety.Guarded(options, new DictionaryEnvironment(environment)), new FakeProfileStepFactory(), isWindows: false);
        }
    }

    private string CreateHostile(string kind)
    {
        string path = Path.Combine(_directory, kind);
        switch (kind)
        {
            case "fifo":
                MakeFifo(path);
                return path;
            case "symlink-to-fifo":
                string fifo = Path.Combine(_directory, "target-fifo");
                MakeFifo(fifo);
                File.CreateSymbolicLink(path, fifo);
                return path;
            case "dev-zero":
                return "/dev/zero";
            case "directory":
                Directory.CreateDirectory(path);
                return path;
            case "socket":
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                socket.Bind(new UnixDomainSocketEndPoint(path));
                _cleanup.Add(socket);
                return path;
            case "huge-sparse":
                using (var stream = new FileStream(path, FileMode.CreateNew))
                {
                    stream.SetLength(1L << 30);
                }

                return path;
            default:
                File.WriteAllBytes(path, [(byte)'[', (byte)'\n', 0x61, 0x62, 0xC3, 0x28, (byte)'\n']);
                return path;
        }
    }

    private void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);

        // If a reader were ever blocked in open(), opening read-write (which never blocks on Linux) releases it at the end.
        _cleanup.Add(new FifoRelease(path));
    }

    private sealed class FifoRelease(string path) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
            }
            catch (IOException)
            {
            }
        }
    }
}
