using System.Reflection;
using System.Text.RegularExpressions;

namespace WorkloadCredentials.Tests.Infrastructure.SecretScanning;

/// <summary>
/// Fills <see cref="SecretRegistry"/> at start-up with every secret the existing tests use:
/// <list type="number">
/// <item>every string constant and static readonly string field of a test class whose name says secret, token, External ID
/// or sentinel (<c>Secret</c>, <c>SessionToken</c>, <c>IssuedSecret</c>, <c>ExternalId</c>, <c>AuthorizationToken</c>, ...),
/// found by reflection, so a new test class is covered as soon as it names its constants that way;</item>
/// <item>the secrets written inline in test bodies (<see cref="Inline"/>, kept by hand: prefer a named constant or
/// <see cref="SecretRegistry.Mint"/> in new tests);</item>
/// <item>moto's fixed instance-metadata credentials;</item>
/// <item>the secrets of the AWS SDK conformance vectors, when that folder is present.</item>
/// </list>
/// Keys created in moto at run time are registered by <see cref="MotoIam"/>.
/// </summary>
internal static partial class KnownTestSecrets
{
    /// <summary>Secrets written inline in test bodies (and in fakes), by kind.</summary>
    private static readonly (SecretKind Kind, string Value)[] Inline =
    [
        (SecretKind.SecretAccessKey, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        (SecretKind.SecretAccessKey, "imds-SECRET-access-key-do-not-log"),
        (SecretKind.SecretAccessKey, "imds-secret-sentinel"),
        (SecretKind.SecretAccessKey, "container-SECRET-key-do-not-log"),
        (SecretKind.SecretAccessKey, "console-job-secret"),
        (SecretKind.SecretAccessKey, "do-not-print-me"),
        (SecretKind.SecretAccessKey, "not-the-secret-of-this-user-0000000000"),
        (SecretKind.SecretAccessKey, "webapi-sample-secret-do-not-show"),
        (SecretKind.SecretAccessKey, "uploader-test-secret"),
        (SecretKind.SecretAccessKey, "CLUSTERsecret-DoNotPrint"),
        (SecretKind.SecretAccessKey, "SECRET-DoNotPrint"),
        (SecretKind.SecretAccessKey, "WRONGsecret-DoNotPrint-0123456789abcdef"),
        (SecretKind.SecretAccessKey, "SECRETVALUE"),
        (SecretKind.SecretAccessKey, "source-secret-value"),
        (SecretKind.SecretAccessKey, "secret-value-x"),
        (SecretKind.SecretAccessKey, "cached-secret"),
        (SecretKind.SecretAccessKey, "stale-secret"),
        (SecretKind.SecretAccessKey, "default-secret-value"),
        (SecretKind.SecretAccessKey, "backups-secret-value"),
        (SecretKind.SessionToken, "TOKEN-DoNotPrint"),
        (SecretKind.SessionToken, "TOKENVALUE"),
        (SecretKind.SessionToken, "container-chain-TOKEN"),
        (SecretKind.SessionToken, "imds-token-sentinel"),
        (SecretKind.SessionToken, "session-token-value"),
        (SecretKind.SessionToken, "token-value-x"),
        (SecretKind.SessionToken, "cached-token"),
        (SecretKind.SessionToken, "stale-token"),
        (SecretKind.ExternalId, "customer-7f3a"),
        (SecretKind.ExternalId, "customer-0000"),
        (SecretKind.ExternalId, "customer-7f3a:ext/ID"),
        (SecretKind.ExternalId, "customer:7f3a/ext=1"),
        (SecretKind.ExternalId, "partner-external-id"),
        (SecretKind.ExternalId, "partner-external-id-7"),
        (SecretKind.ExternalId, "customer-secret-external-id"),
        (SecretKind.ExternalId, "customer-external-id"),
        (SecretKind.ExternalId, "not-the-external-id"),
        (SecretKind.ExternalId, "SENTINEL-EXTERNAL-ID"),
        (SecretKind.ExternalId, "backups-ext-id"),
        (SecretKind.ExternalId, "ext-cli-4711"),
        (SecretKind.ExternalId, "ext-id-1"),
        (SecretKind.ContainerAuthorizationToken, "eks-AUTH-token-do-not-log"),
    ];

    /// <summary>moto's instance metadata answers these fixed credentials.</summary>
    private static readonly (SecretKind Kind, string Value)[] Moto =
    [
        (SecretKind.SecretAccessKey, "test-secret-key"),
        (SecretKind.SessionToken, "test-session-token"),
    ];

    private static readonly string[] NameMarkers = ["secret", "token", "externalid", "sentinel"];

    private static readonly string[] NotSecretNameMarkers =
        ["keyid", "file", "path", "variable", "header", "url", "uri", "arn", "name", "prefix", "env", "message", "pattern", "endpoint", "key_id"];

    private static int _registered;

    public static void RegisterAll()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        RegisterNamedConstants(typeof(KnownTestSecrets).Assembly);
        foreach ((SecretKind kind, string value) in Inline)
        {
            SecretRegistry.Register("inline literal in a test", kind, value);
        }

        foreach ((SecretKind kind, string value) in Moto)
        {
            SecretRegistry.Register("moto's fixed instance-metadata credentials", kind, value);
        }

        RegisterConformanceVectors();
    }

    /// <summary>The kind a field's name suggests (for the report only; every kind is scanned alike).</summary>
    internal static SecretKind KindOf(string fieldName, string value)
    {
        string name = fieldName.ToUpperInvariant();
        return name switch
        {
            _ when name.Contains("EXTERNAL", StringComparison.Ordinal) => SecretKind.ExternalId,
            _ when name.Contains("AUTHORIZATION", StringComparison.Ordinal) => SecretKind.ContainerAuthorizationToken,
            _ when name.Contains("IMDSTOKEN", StringComparison.Ordinal) => SecretKind.ImdsToken,
            _ when name.Contains("WEBIDENTITY", StringComparison.Ordinal) || value.StartsWith("eyJ", StringComparison.Ordinal) => SecretKind.WebIdentityToken,
            _ when name.Contains("SECRET", StringComparison.Ordinal) => SecretKind.SecretAccessKey,
            _ => SecretKind.SessionToken,
        };
    }

    private static void RegisterNamedConstants(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = [.. ex.Types.OfType<Type>()];
        }

        foreach (Type type in types)
        {
            if (type.Namespace?.StartsWith("WorkloadCredentials.Tests.Infrastructure.SecretScanning", StringComparison.Ordinal) == true)
            {
                continue; // the scanner's own proofs mint their secrets
            }

            foreach (FieldInfo field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType != typeof(string) || !(field.IsLiteral || field.IsInitOnly) || !LooksLikeSecretName(field.Name))
                {
                    continue;
                }

                string? value;
                try
                {
                    value = field.IsLiteral ? field.GetRawConstantValue() as string : field.GetValue(null) as string;
                }
                catch (Exception ex) when (ex is TargetInvocationException or TypeInitializationException or InvalidOperationException)
                {
                    continue;
                }

                if (value is not null && !EnvironmentVariableName().IsMatch(value))
                {
                    SecretRegistry.Register($"{type.Name}.{field.Name}", KindOf(field.Name, value), value);
                }
            }
        }
    }

    private static bool LooksLikeSecretName(string name)
    {
        string lower = name.ToLowerInvariant();
        return NameMarkers.Any(m => lower.Contains(m, StringComparison.Ordinal)) && !NotSecretNameMarkers.Any(m => lower.Contains(m, StringComparison.Ordinal));
    }

    private static void RegisterConformanceVectors()
    {
        if (ConformanceData.TryPath() is not { } root || !Directory.Exists(root))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (IOException)
            {
                continue;
            }

            string name = "conformance vector " + Path.GetRelativePath(root, file);
            foreach (Match match in ConformanceSecret().Matches(text))
            {
                string key = match.Groups["key"].Value.ToUpperInvariant();
                string value = match.Groups["value"].Value.Replace("\\n", string.Empty, StringComparison.Ordinal);
                SecretKind kind = key.Contains("EXTERNAL", StringComparison.Ordinal) ? SecretKind.ExternalId
                    : key.Contains("SECRET", StringComparison.Ordinal) ? SecretKind.SecretAccessKey
                    : SecretKind.SessionToken;
                SecretRegistry.Register(name, kind, value.Split("...")[0]); // "AQoEXAMPLE...(truncated)": the part shown
            }
        }
    }

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex EnvironmentVariableName();

    /// <summary>A JSON property (<c>"secret_access_key": "..."</c>) or an ini line inside a JSON string (<c>aws_session_token = ...</c>).</summary>
    [GeneratedRegex("""(?:"(?<key>secret_access_key|session_token|aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken|Token|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|external_id|clientSecret|accessToken|refreshToken)"\s*:\s*"(?<value>[^"\\]{8,})")|(?:(?<key>aws_secret_access_key|aws_session_token|external_id)\s*=\s*(?<value>[^\s"\\]{8,}))""", RegexOptions.ExplicitCapture)]
    private static partial Regex ConformanceSecret();
}
