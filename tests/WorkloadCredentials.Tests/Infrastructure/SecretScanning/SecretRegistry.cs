using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>
/// Every secret the test run uses (secret keys, session tokens, web identity tokens, External IDs, container authorization
/// tokens, IMDS tokens), so that the suite-wide scan (<see cref="SecretScanner"/>) can find any of them, or any fragment of
/// <see cref="FragmentLength"/> or more characters of one, in a log record, an exception, a process's output or a telemetry tag.
/// Filled at start-up by <see cref="KnownTestSecrets"/> (constants of the test classes, inline literals, moto's fixed keys, the
/// conformance vectors) and during the run by <see cref="Mint"/> and <see cref="Register"/>. Thread-safe; lookups are lock-free.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Values shorter than <see cref="MinLength"/> characters (<c>"s"</c>, <c>"plain"</c>, <c>"tok"</c>) are not registered:
/// they occur in ordinary text and would make the scan meaningless.</item>
/// <item>Every value is found whole.</item>
/// <item>Values of <see cref="FragmentLength"/> or more characters are also found by any window of <see cref="FragmentLength"/>
/// characters, except windows made of fewer than <see cref="MinDistinctCharacters"/> distinct characters
/// (<c>AAAAAAAAAAAA</c>) and windows of letters, <c>-</c>, <c>_</c>, <c>.</c> and spaces only (<c>SessionToken</c>,
/// <c>-identity-to</c>), which also occur in ordinary text. Only the first <see cref="MaxIndexedLength"/> characters of a value
/// are indexed.</item>
/// </list>
/// </remarks>
public static class SecretRegistry
{
    /// <summary>The shortest value registered at all.</summary>
    public const int MinLength = 8;

    /// <summary>The fragment length found anywhere (the library's <c>SecretMasker.MinFragmentLength</c>).</summary>
    public const int FragmentLength = WorkloadCredentials.Internal.SecretMasker.MinFragmentLength;

    /// <summary>A fragment with fewer distinct characters than this is not indexed.</summary>
    public const int MinDistinctCharacters = 4;

    /// <summary>The longest prefix of a value that is indexed (a 1 MB token would otherwise hold a million windows).</summary>
    public const int MaxIndexedLength = 64 * 1024;

    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private const string UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const string AlphanumericAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly ConcurrentDictionary<string, RegisteredSecret> Values = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, RegisteredSecret> Fragments = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, RegisteredSecret>.AlternateLookup<ReadOnlySpan<char>> FragmentLookup =
        Fragments.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly System.Buffers.SearchValues<char> WordCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_. ");

    private static volatile RegisteredSecret[] _short = [];

    /// <summary>Gets every registered secret.</summary>
    public static IReadOnlyCollection<RegisteredSecret> All => [.. Values.Values];

    /// <summary>Registers a secret; returns <see langword="false"/> when it is too short or already known.</summary>
    public static bool Register(string name, SecretKind kind, string? value)
    {
        if (value is null || value.Length < MinLength)
        {
            return false;
        }

        var secret = new RegisteredSecret(name, kind, value);
        if (!Values.TryAdd(value, secret))
        {
            return false;
        }

        lock (Values)
        {
            _short = [.. _short, secret]; // every secret is also found whole
        }

        if (value.Length < FragmentLength)
        {
            return true;
        }

        ReadOnlySpan<char> indexed = value.AsSpan(0, Math.Min(value.Length, MaxIndexedLength));
        for (int i = 0; i + FragmentLength <= indexed.Length; i++)
        {
            ReadOnlySpan<char> window = indexed.Slice(i, FragmentLength);
            if (IsDistinctive(window))
            {
                FragmentLookup.TryAdd(window, secret);
            }
        }

        return true;
    }

    /// <summary>
    /// Makes a new random secret of the given kind, shaped like the real thing and valid for every source, registers it and
    /// returns it. Use it for any secret a new test needs: the scan then covers it without further work.
    /// </summary>
    public static string Mint(SecretKind kind, [System.Runtime.CompilerServices.CallerMemberName] string label = "")
    {
        string value = kind switch
        {
            SecretKind.SecretAccessKey => RandomNumberGenerator.GetString(Base64Alphabet, 40),
            SecretKind.SessionToken => RandomNumberGenerator.GetString(Base64Alphabet, 136),
            SecretKind.WebIdentityToken => "eyJ" + RandomNumberGenerator.GetString(UrlAlphabet, 60) + "." + RandomNumberGenerator.GetString(UrlAlphabet, 40),
            SecretKind.ExternalId => "ext-" + RandomNumberGenerator.GetString(AlphanumericAlphabet, 20),
            SecretKind.ContainerAuthorizationToken => RandomNumberGenerator.GetString(AlphanumericAlphabet, 48),
            SecretKind.ImdsToken => RandomNumberGenerator.GetString(UrlAlphabet, 56),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown secret kind."),
        };
        // A digit every 8 characters: every fragment of a minted secret is distinctive, so any 12 characters of it are found.
        char[] chars = value.ToCharArray();
        for (int i = 5; i < chars.Length; i += 8)
        {
            chars[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }

        value = new string(chars);
        Register($"minted by {label}", kind, value);
        return value;
    }

    /// <summary>Finds every registered secret present in <paramref name="text"/> (whole or by a long fragment); one hit per secret.</summary>
    public static IReadOnlyList<SecretHit> Find(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length < MinLength)
        {
            return [];
        }

        List<SecretHit>? hits = null;
        ReadOnlySpan<char> span = text.AsSpan();
        if (!Fragments.IsEmpty)
        {
            // One hit per contiguous leaked run (secrets that share a prefix, like a JWT header, would otherwise all be named).
            int coveredUntil = -1;
            for (int i = 0; i + FragmentLength <= span.Length; i++)
            {
                if (FragmentLookup.TryGetValue(span.Slice(i, FragmentLength), out RegisteredSecret? secret))
                {
                    if (i >= coveredUntil && !Contains(hits, secret))
                    {
                        (hits ??= []).Add(new SecretHit(secret, i, FragmentLength));
                    }

                    coveredUntil = i + FragmentLength;
                }
            }
        }

        foreach (RegisteredSecret secret in _short)
        {
            int index = text.IndexOf(secret.Value, StringComparison.Ordinal);
            if (index >= 0 && !Contains(hits, secret))
            {
                (hits ??= []).Add(new SecretHit(secret, index, secret.Value.Length));
            }
        }

        return hits is null ? [] : hits;
    }

    /// <summary>Marks every character of <paramref name="text"/> that belongs to a registered secret or a long fragment of one.</summary>
    public static bool[] MarkSecrets(string text)
    {
        bool[] masked = new bool[text.Length];
        ReadOnlySpan<char> span = text.AsSpan();
        for (int i = 0; i + FragmentLength <= span.Length; i++)
        {
            if (FragmentLookup.ContainsKey(span.Slice(i, FragmentLength)))
            {
                Array.Fill(masked, true, i, FragmentLength);
            }
        }

        foreach (RegisteredSecret secret in _short)
        {
            for (int index = text.IndexOf(secret.Value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(secret.Value, index + 1, StringComparison.Ordinal))
            {
                Array.Fill(masked, true, index, secret.Value.Length);
            }
        }

        return masked;
    }

    private static bool Contains(List<SecretHit>? hits, RegisteredSecret secret) => hits is not null && hits.Exists(h => ReferenceEquals(h.Secret, secret));

    private static bool IsDistinctive(ReadOnlySpan<char> window)
    {
        // A fragment of words only ("SessionToken", "-identity-to", "uploader-tes" from readable test secrets) also occurs
        // in messages, type names and temp paths; a fragment is indexed only when it holds a digit or a symbol beyond - _ .
        if (!window.ContainsAnyExcept(WordCharacters))
        {
            return false;
        }

        Span<char> seen = stackalloc char[MinDistinctCharacters];
        int count = 0;
        foreach (char c in window)
        {
            if (seen[..count].IndexOf(c) < 0)
            {
                seen[count++] = c;
                if (count == MinDistinctCharacters)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
