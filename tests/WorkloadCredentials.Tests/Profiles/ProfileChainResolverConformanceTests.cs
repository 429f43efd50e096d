using System.Text.Json;
using System.Text.Json.Nodes;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>
/// Profile role-chain resolution (parse level): every case of smithy-rs <c>assume-role-tests.json</c>. Errors are Rust's
/// texts: each maps to one of our error kinds plus the phrase our own message keeps.
/// </summary>
public sealed class ProfileChainResolverConformanceTests
{
    private static readonly string[] File = ConformanceCases.SmithyConfig("assume-role-tests.json");

    /// <summary>Rust error text (a substring) -> our kind and a phrase our message must contain.</summary>
    private static readonly (string Rust, ProfileErrorKind Kind, string Ours)[] ErrorMap =
    [
        ("profile must contain `source_profile`", ProfileErrorKind.MissingRoleSource, "must contain `source_profile` or `credential_source`"),
        ("profile contained both source_profile and credential_source", ProfileErrorKind.ConflictingRoleSource, "contained both source_profile"),
        ("profile missing aws_secret_access_key", ProfileErrorKind.MissingSecretAccessKey, "is missing aws_secret_access_key"),
        ("profile missing aws_access_key_id", ProfileErrorKind.MissingAccessKeyId, "is missing aws_access_key_id"),
        ("did not contain credential information", ProfileErrorKind.NoCredentials, "did not contain credential information"),
        ("could not find source profile", ProfileErrorKind.SourceProfileNotFound, "could not find source profile 'B' referenced from profile 'A'"),
        ("No profiles were defined", ProfileErrorKind.ProfileNotFound, "no profiles were defined"),
        ("profile formed an infinite loop", ProfileErrorKind.InfiniteLoop, "formed an infinite loop: A -> B -> A"),
        ("`role_arn` was missing", ProfileErrorKind.MissingRoleArn, "`role_arn` was missing"),
        ("if `sso_role_name` is set, then `sso_account_id` must also be set", ProfileErrorKind.InvalidSsoConfiguration, "if `sso_role_name` is set, then `sso_account_id` must also be set"),
        ("if `sso_account_id` is set, then `sso_role_name` must also be set", ProfileErrorKind.InvalidSsoConfiguration, "if `sso_account_id` is set, then `sso_role_name` must also be set"),
        ("`sso_region` can only be specified in the [sso-session] config", ProfileErrorKind.InvalidSsoConfiguration, "`sso_region` can only be specified in the [sso-session] config when a session name is given"),
        ("sso-session named `oops` (referenced by profile `A`) was not found", ProfileErrorKind.SsoSessionNotFound, "no [sso-session oops] section was found"),
    ];

    public static IEnumerable<TheoryDataRow<string>> Cases() => ConformanceCases.Rows(File, Select, "docs");

    [Fact]
    public void Vectors_AllPresent_Has28Cases()
    {
        _ = Infrastructure.ConformanceData.RequireRoot();
        Assert.Equal(28, ConformanceCases.Count(File, Select, "docs"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolve_ConformanceCase_MatchesExpected(string name)
    {
        JsonElement testCase = ConformanceCases.Get(File, Select, "docs", name);
        JsonElement input = testCase.GetProperty("input");
        ProfileSet set = BuildSet(input);
        string selected = input.GetProperty("selected_profile").GetString()!;
        JsonElement output = testCase.GetProperty("output");

        if (output.TryGetProperty("Error", out JsonElement error))
        {
            string rust = error.GetString()!;
            (string _, ProfileErrorKind kind, string ours) = Assert.Single(ErrorMap, e => rust.Contains(e.Rust, StringComparison.Ordinal));
            var ex = Assert.Throws<ProfileConfigurationException>(() => ProfileChainResolver.Resolve(set, selected));
            Assert.Equal(kind, ex.Kind);
            Assert.Contains(ours, ex.Message, StringComparison.Ordinal);
            Assert.StartsWith("Profile: ", ex.Message, StringComparison.Ordinal);
            return;
        }

        ProfileChain chain = ProfileChainResolver.Resolve(set, selected);
        string expected = JsonNode.Parse(output.GetProperty("ProfileChain").GetRawText())!.ToJsonString();
        Assert.Equal(expected, ToConformanceJson(chain).ToJsonString());
    }

    internal static ProfileSet BuildSet(JsonElement input)
    {
        return new ProfileSet(Sections("profiles"), Sections("sso_sessions"), new Dictionary<string, ProfileSection>());

        Dictionary<string, ProfileSection> Sections(string property)
        {
            var sections = new Dictionary<string, ProfileSection>(StringComparer.Ordinal);
            if (input.TryGetProperty(property, out JsonElement element))
            {
                foreach (JsonProperty profile in element.EnumerateObject())
                {
                    var section = new ProfileSection(profile.Name);
                    foreach (JsonProperty setting in profile.Value.EnumerateObject())
                    {
                        section.Set(new ProfileProperty(setting.Name, setting.Value.GetString()!, null, 0));
                    }

                    sections.Add(profile.Name, section);
                }
            }

            return sections;
        }
    }

    /// <summary>Renders our plan in the vectors' shape, keys in the vectors' order, absent values left out.</summary>
    private static JsonArray ToConformanceJson(ProfileChain chain)
    {
        var steps = new JsonArray();
        JsonNode step = chain.Base switch
        {
            StaticKeysProfileStep s => Tagged("AccessKey", Object(("access_key_id", s.AccessKeyId), ("secret_access_key", s.SecretAccessKey), ("session_token", s.SessionToken), ("account_id", s.AccountId))),
            NamedSourceProfileStep n => new JsonObject { ["NamedSource"] = n.Source.ToString() },
            WebIdentityProfileStep w => Tagged("WebIdentityToken", Object(("role_arn", w.RoleArn), ("web_identity_token_file", w.TokenFile), ("role_session_name", w.SessionName))),
            SsoProfileStep o => Tagged("Sso", Object(("sso_session", o.SessionName), ("sso_account_id", o.AccountId), ("sso_region", o.Region), ("sso_role_name", o.RoleName), ("sso_start_url", o.StartUrl))),
            CredentialProcessProfileStep p => Tagged("CredentialProcess", Object(("credential_process", p.CommandLine))),
            _ => throw new InvalidOperationException(chain.Base.GetType().Name),
        };
        steps.Add(step);
        foreach (AssumeRoleProfileStep role in chain.Roles)
        {
            steps.Add(Tagged("AssumeRole", Object(
                ("role_arn", role.RoleArn), ("external_id", role.ExternalId), ("role_session_name", role.SessionName), ("duration_seconds", role.DurationSeconds?.ToString()))));
        }

        return steps;
    }

    private static JsonObject Tagged(string tag, JsonObject value) => new() { [tag] = value };

    private static JsonObject Object(params (string Key, string? Value)[] values)
    {
        var result = new JsonObject();
        foreach ((string key, string? value) in values)
        {
            if (value is not null)
            {
                result[key] = value;
            }
        }

        return result;
    }

    private static IEnumerable<JsonElement> Select(JsonElement root) => root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : root.GetProperty("tests").EnumerateArray();
}
