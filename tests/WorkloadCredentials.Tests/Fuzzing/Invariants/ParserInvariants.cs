using System.Text.Json;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles.Internal;

namespace WorkloadCredentials.Tests.Fuzzing.Invariants;

/// <summary>Invariants of the parsers of text the library reads: profile files, command lines, credential_process output, JSON documents.</summary>
internal static class ParserInvariants
{
    public const string FilePath = "fuzz-input";

    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A profile file parses, or fails with <see cref="ProfileConfigurationException"/> naming a line and quoting none of it.</summary>
    public static void ProfileFile(string text)
    {
        List<RawProfileSection> sections;
        try
        {
            sections = ProfileFileParser.Parse(text, FilePath);
        }
        catch (ProfileConfigurationException ex)
        {
            Invariant.IsPrintable(ex.Message, "the profile parse error");
            Invariant.QuotesNoSecretLikeRun(ex.Message, text, "the profile parse error");
            Invariant.That(ex.Message.Contains(FilePath + " line ", StringComparison.Ordinal), "the profile parse error names the file and the line");
            return;
        }

        int lines = text.Split('\n').Length;
        int previous = 0;
        foreach (RawProfileSection section in sections)
        {
            Invariant.That(section.LineNumber > previous && section.LineNumber <= lines, "sections come in file order, on lines of the file");
            Invariant.That(section.Header == section.Header.Trim(ProfileFileParser.Whitespace), "a section header is trimmed");
            previous = section.LineNumber;
            foreach (RawProfileProperty property in section.Properties)
            {
                Invariant.That(property.Name.Length > 0, "a property has a name");
                Invariant.That(!property.Name.Contains('=', StringComparison.Ordinal), "a property name holds no '='");
                Invariant.That(!property.Name.Contains('\n', StringComparison.Ordinal), "a property name is on one line");
                Invariant.That(property.Name == property.Name.Trim(ProfileFileParser.Whitespace), "a property name is trimmed");
                Invariant.That(property.LineNumber >= section.LineNumber && property.LineNumber <= lines, "a property is on a line of its section");
            }
        }
    }

    /// <summary>
    /// A credential_process command line becomes a start info that runs what the line says: directly only when every word survives
    /// unchanged (quoting the words again gives the same words), else under the shell with the line unchanged. A line no program could
    /// receive (a NUL character) is refused with <see cref="CredentialProcessException"/>, which does not quote it.
    /// </summary>
    public static void CommandLine(string line)
    {
        foreach (bool windows in (bool[])[false, true])
        {
            var runner = new CredentialProcessRunner(TimeProvider.System, windows);
            System.Diagnostics.ProcessStartInfo startInfo;
            bool usedShell;
            try
            {
                (startInfo, _, usedShell) = runner.CreateStartInfo(line);
            }
            catch (CredentialProcessException ex)
            {
                Invariant.That(line.Contains('\0', StringComparison.Ordinal), "only a line with a NUL character is refused");
                Invariant.IsPrintable(ex.Message, "the command line error");
                Invariant.QuotesNoSecretLikeRun(ex.Message, line, "the command line error");
                continue;
            }

            Invariant.That(startInfo.FileName.Length > 0, "a program is named");
            Invariant.That(!startInfo.FileName.Contains('\0', StringComparison.Ordinal), "the program name holds no NUL (it would be cut)");
            Invariant.That(!startInfo.Arguments.Contains('\0', StringComparison.Ordinal), "the arguments hold no NUL (they would be cut)");
            foreach (string argument in startInfo.ArgumentList)
            {
                Invariant.That(!argument.Contains('\0', StringComparison.Ordinal), "an argument holds no NUL (it would be cut)");
            }

            if (usedShell)
            {
                bool whole = windows ? startInfo.Arguments.Contains(line, StringComparison.Ordinal) : startInfo.ArgumentList[^1] == line;
                Invariant.That(whole, "the shell receives the whole line");
            }
            else if (!windows)
            {
                List<string> words = [startInfo.FileName, .. startInfo.ArgumentList];
                Invariant.That(!words[0].Contains('=', StringComparison.Ordinal), "an assignment is never run as a program");
                if (words.TrueForAll(static w => !w.Contains('\'', StringComparison.Ordinal)))
                {
                    IReadOnlyList<string>? again = CommandLineSplitter.TrySplitPosix(string.Join(' ', words.Select(static w => $"'{w}'")));
                    Invariant.That(again is not null && again.SequenceEqual(words), "quoting the words again gives the same words");
                }
            }
        }
    }

    /// <summary>credential_process output parses into exactly its values, or fails with <see cref="CredentialProcessException"/> quoting no secret.</summary>
    public static void ProcessOutput(string output)
    {
        Dictionary<string, string> values = StringMembers(output);
        string? secret = values.GetValueOrDefault("SecretAccessKey");
        string? token = values.GetValueOrDefault("SessionToken");
        AwsCredentials credentials;
        try
        {
            credentials = CredentialProcessOutputParser.Parse(output, "fuzz", null, Now);
        }
        catch (CredentialProcessException ex)
        {
            Invariant.IsPrintable(ex.Message, "the credential_process error");
            string quoted = values.GetValueOrDefault("Expiration", string.Empty);
            foreach (string? value in (string?[])[secret, token])
            {
                if (value is { Length: >= Invariant.SecretLikeLength } && !quoted.Contains(value, StringComparison.Ordinal))
                {
                    Invariant.That(!ex.Message.Contains(value, StringComparison.Ordinal), "the credential_process error quotes a secret");
                }
            }

            if (values.Count == 0)
            {
                Invariant.QuotesNoSecretLikeRun(ex.Message, output, "the credential_process error");
            }

            return;
        }

        Invariant.That(credentials.AccessKeyId == values.GetValueOrDefault("AccessKeyId"), "the access key id is the output's");
        Invariant.That(credentials.SecretAccessKey == secret, "the secret is the output's");
        Invariant.That(credentials.Expiration is null || credentials.Expiration > Now, "expired credentials are refused");
        Invariant.That(credentials.ToString().Contains("SecretAccessKey = ***", StringComparison.Ordinal), "ToString hides the secret");
    }

    /// <summary>
    /// An IMDS or container credentials document parses, or its problem quotes nothing of it; credentials come out with exactly the
    /// document's values, or the problem names the member without quoting a secret.
    /// </summary>
    public static void CredentialsDocument(string json)
    {
        if (!JsonCredentialsDocument.TryParse(json, out JsonCredentialsDocument? document, out string? problem))
        {
            Invariant.That(document is null && problem is not null, "a failed parse says why");
            Invariant.IsPrintable(problem, "the document problem");
            Invariant.QuotesNoSecretLikeRun(problem!, json, "the document problem");
            return;
        }

        Invariant.That(document is not null && problem is null, "a parse gives a document");
        foreach (bool expirationRequired in (bool[])[true, false])
        {
            if (document!.TryGetCredentials("fuzz", expirationRequired, out AwsCredentials? credentials, out problem))
            {
                Invariant.That(credentials!.AccessKeyId == document.AccessKeyId && credentials.SecretAccessKey == document.SecretAccessKey, "the credentials are the document's");
                // An empty Token means none (AwsCredentials keeps no empty token).
                Invariant.That(credentials.SessionToken == (string.IsNullOrEmpty(document.Token) ? null : document.Token), "the token is the document's");
                Invariant.That(!expirationRequired || credentials.Expiration is not null, "a required expiration is there");
                continue;
            }

            Invariant.That(credentials is null && problem is not null, "a refusal says why");
            Invariant.IsPrintable(problem, "the credentials problem");
            // Whole secret-like values only: the problem names members ("SecretAccessKey"), which a short value can equal a piece of.
            foreach (string? secret in (string?[])[document.SecretAccessKey, document.Token])
            {
                Invariant.That(
                    secret is not { Length: >= Invariant.SecretLikeLength } || !problem!.Contains(secret, StringComparison.Ordinal),
                    "the credentials problem quotes a secret");
            }
        }
    }

    /// <summary>The string members of a JSON object (the last of a repeated name), or none when the text is not one.</summary>
    private static Dictionary<string, string> StringMembers(string json)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        values[property.Name] = property.Value.GetString()!;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            values.Clear();
        }

        return values;
    }
}
