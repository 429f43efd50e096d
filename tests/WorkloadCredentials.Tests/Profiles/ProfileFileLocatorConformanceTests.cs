using System.Text.Json;
using WorkloadCredentials.Internal;
using WorkloadCredentials.Profiles.Internal;
using WorkloadCredentials.Tests.Infrastructure;

namespace WorkloadCredentials.Tests.Profiles;

/// <summary>Where the shared files are found: every case of smithy-rs <c>file-location-tests.json</c>, plus <c>~</c> expansion.</summary>
public sealed class ProfileFileLocatorConformanceTests
{
    private static readonly string[] File = ConformanceCases.SmithyRuntime("file-location-tests.json");

    public static IEnumerable<TheoryDataRow<string>> Cases() => ConformanceCases.Rows(File, Select, "name");

    [Fact]
    public void Vectors_AllPresent_Has9Cases()
    {
        _ = Infrastructure.ConformanceData.RequireRoot();
        Assert.Equal(9, ConformanceCases.Count(File, Select, "name"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Locate_ConformanceCase_MatchesExpected(string name)
    {
        JsonElement testCase = ConformanceCases.Get(File, Select, "name", name);
        var environment = new DictionaryEnvironment(
            testCase.GetProperty("environment").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!)));
        bool isWindows = testCase.GetProperty("platform").GetString() == "windows";

        ProfileFileLocations locations = ProfileFileLocator.Locate(environment, optionsProfile: null, isWindows);

        Assert.Equal(testCase.GetProperty("configLocation").GetString(), locations.ConfigFilePath);
        Assert.Equal(testCase.GetProperty("credentialsLocation").GetString(), locations.CredentialsFilePath);
        if (testCase.TryGetProperty("profile", out JsonElement profile))
        {
            Assert.Equal(profile.GetString(), locations.ProfileName);
        }
    }

    [Theory]
    [InlineData("~/custom/config", false, "/home/user/custom/config")]
    [InlineData("~", false, "/home/user")]
    [InlineData("~other/config", false, "~other/config")]
    [InlineData("/abs/~/config", false, "/abs/~/config")]
    [InlineData("~\\custom\\config", true, "/home/user\\custom\\config")]
    [InlineData("~\\custom\\config", false, "~\\custom\\config")]
    public void Locate_TildeInConfigFile_ExpandsToHome(string configured, bool isWindows, string expected)
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["HOME"] = "/home/user", ["AWS_CONFIG_FILE"] = configured });

        ProfileFileLocations locations = ProfileFileLocator.Locate(environment, optionsProfile: null, isWindows);

        Assert.Equal(expected, locations.ConfigFilePath);
    }

    [Fact]
    public void Locate_TildeInCredentialsFile_ExpandsToHome()
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["HOME"] = "/home/user/", ["AWS_SHARED_CREDENTIALS_FILE"] = "~/creds" });

        Assert.Equal("/home/user/creds", ProfileFileLocator.Locate(environment, null, isWindows: false).CredentialsFilePath);
    }

    [Fact]
    public void Locate_NoHomeOnLinux_NoDefaultFiles()
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["USERPROFILE"] = "/ignored" });

        ProfileFileLocations locations = ProfileFileLocator.Locate(environment, null, isWindows: false);

        Assert.Null(locations.ConfigFilePath);
        Assert.Null(locations.CredentialsFilePath);
    }

    [Theory]
    [InlineData(null, null, "default", "Default")]
    [InlineData(null, "  ", "default", "Default")]
    [InlineData(null, "dev", "dev", "Environment")]
    [InlineData("prod", "dev", "prod", "Options")]
    [InlineData(" ", "dev", "dev", "Environment")]
    public void Locate_ProfileName_OptionsThenAwsProfileThenDefault(string? options, string? awsProfile, string expected, string origin)
    {
        var environment = new DictionaryEnvironment(new Dictionary<string, string> { ["HOME"] = "/h" });
        if (awsProfile is not null)
        {
            environment["AWS_PROFILE"] = awsProfile;
        }

        ProfileFileLocations locations = ProfileFileLocator.Locate(environment, options, isWindows: false);

        Assert.Equal(expected, locations.ProfileName);
        Assert.Equal(origin, locations.ProfileNameOrigin.ToString());
    }

    private static IEnumerable<JsonElement> Select(JsonElement root) => root.GetProperty("tests").EnumerateArray();
}
