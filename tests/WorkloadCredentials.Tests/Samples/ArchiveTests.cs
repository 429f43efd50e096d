using System.Formats.Tar;
using System.IO.Compression;
using BackupUploader;
using BackupUploader.Archiving;

namespace WorkloadCredentials.Tests.Samples;

/// <summary>The uploader's streamed archive: what goes in comes out, errors reach the reader, sizes parse.</summary>
public sealed class ArchiveTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("archive-tests-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task CompressedArchiveStream_Folder_RoundTripsNamesAndContent()
    {
        string root = Path.Combine(_work.FullName, "data");
        Directory.CreateDirectory(Path.Combine(root, "nested", "deeper"));
        File.WriteAllText(Path.Combine(root, "a.txt"), "alpha");
        byte[] big = new byte[3 << 20];
        Random.Shared.NextBytes(big);
        File.WriteAllBytes(Path.Combine(root, "nested", "deeper", "b.bin"), big);
        File.CreateSymbolicLink(Path.Combine(root, "link"), "a.txt");
        FileSystemBackupSource source = FileSystemBackupSource.Inspect(root);
        long counted = 0;

        Dictionary<string, (TarEntryType Type, byte[]? Data, string? Link)> entries =
            await ReadAllAsync(CompressedArchiveStream.Start(source, CompressionLevel.Fastest, n => Interlocked.Add(ref counted, n), TestContext.Current.CancellationToken));

        Assert.Equal(["data/", "data/a.txt", "data/link", "data/nested/", "data/nested/deeper/", "data/nested/deeper/b.bin"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("alpha"u8.ToArray(), entries["data/a.txt"].Data);
        Assert.Equal(big, entries["data/nested/deeper/b.bin"].Data);
        Assert.Equal(TarEntryType.SymbolicLink, entries["data/link"].Type);
        Assert.Equal("a.txt", entries["data/link"].Link);
        Assert.Equal(big.Length + 5, source.ContentBytes);
        Assert.True(counted > source.ContentBytes, "the tar stream (headers included) went through the counter");
    }

    [Fact]
    public async Task CompressedArchiveStream_GeneratedSample_HasTheRequestedSize()
    {
        var source = new GeneratedBackupSource(70L << 20);

        Dictionary<string, (TarEntryType Type, byte[]? Data, string? Link)> entries =
            await ReadAllAsync(CompressedArchiveStream.Start(source, CompressionLevel.Fastest, null, TestContext.Current.CancellationToken));

        Assert.Equal(70L << 20, entries.Values.Where(e => e.Type == TarEntryType.RegularFile && e.Data is not null).Sum(e => (long)e.Data!.Length) - entries["sample-backup/MANIFEST.txt"].Data!.Length);
        Assert.Contains("sample-backup/exports/orders-0000.csv", entries.Keys);
        Assert.Contains("sample-backup/blobs/blob-0001.bin", entries.Keys);
    }

    [Fact]
    public async Task CompressedArchiveStream_SourceFails_TheReaderSeesTheError()
    {
        await using CompressedArchiveStream archive = CompressedArchiveStream.Start(new ThrowingSource(), CompressionLevel.Fastest, null, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<BackupInputException>(() => archive.Reader.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));

        Assert.Equal("Reading 'x' failed", error.Message);
    }

    [Fact]
    public void Inspect_MissingPath_NamesIt()
    {
        string missing = Path.Combine(_work.FullName, "missing");

        var error = Assert.Throws<BackupInputException>(() => FileSystemBackupSource.Inspect(missing));

        Assert.StartsWith($"The path '{missing}' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("256MiB", 256L << 20)]
    [InlineData("16M", 16L << 20)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("1.5GB", 3L << 29)]
    [InlineData("4096", 4096L)]
    [InlineData("10 KiB", 10240L)]
    public void TryParseSize_Valid(string text, long expected)
    {
        Assert.True(Format.TryParseSize(text, out long bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MiB")]
    [InlineData("12XB")]
    [InlineData("-5M")]
    public void TryParseSize_Invalid(string text) => Assert.False(Format.TryParseSize(text, out _));

    private static async Task<Dictionary<string, (TarEntryType Type, byte[]? Data, string? Link)>> ReadAllAsync(CompressedArchiveStream archive)
    {
        var entries = new Dictionary<string, (TarEntryType, byte[]?, string?)>();
        await using (archive)
        {
            await using var gzip = new GZipStream(archive.Reader, CompressionMode.Decompress);
            await using var reader = new TarReader(gzip);
            while (await reader.GetNextEntryAsync(copyData: true, TestContext.Current.CancellationToken) is { } entry)
            {
                byte[]? data = null;
                if (entry.DataStream is { } stream)
                {
                    using var copy = new MemoryStream();
                    await stream.CopyToAsync(copy, TestContext.Current.CancellationToken);
                    data = copy.ToArray();
                }

                entries[entry.Name] = (entry.EntryType, data, string.IsNullOrEmpty(entry.LinkName) ? null : entry.LinkName);
            }
        }

        return entries;
    }

    private sealed class ThrowingSource : BackupSource
    {
        public override string Description => "throwing";

        public override string Name => "throwing";

        public override long ContentBytes => 10;

        public override async Task WriteAsync(Stream destination, CancellationToken cancellationToken)
        {
            await destination.WriteAsync(new byte[100_000], cancellationToken);
            throw new BackupInputException("Reading 'x' failed");
        }
    }
}
