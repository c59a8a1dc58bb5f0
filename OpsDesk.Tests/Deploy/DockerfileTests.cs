using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OpsDesk.Tests.Deploy;

/// <summary>
/// The Dockerfiles read line by line (no Docker engine here to build them): what they copy exists,
/// what they run is what they publish, and they build on pinned .NET images and run as non-root.
/// </summary>
[TestFixture]
public sealed partial class DockerfileTests
{
    public static readonly string[] Dockerfiles = ["deploy/api.Dockerfile", "deploy/worker.Dockerfile"];

    [TestCaseSource(nameof(Dockerfiles))]
    public void Every_copy_source_exists(string dockerfile)
    {
        var missing = new List<string>();
        foreach (var line in Instructions(dockerfile).Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)))
        {
            var args = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            if (args.Any(a => a.StartsWith("--from=", StringComparison.Ordinal)))
                continue;
            args = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
            foreach (var source in args.Take(args.Count - 1))
            {
                if (!File.Exists(RepoFiles.Path(source)) && !Directory.Exists(RepoFiles.Path(source)))
                    missing.Add(source);
            }
        }

        Assert.That(missing, Is.Empty, $"{dockerfile} copies paths that do not exist");
    }

    [TestCaseSource(nameof(Dockerfiles))]
    public void The_entrypoint_runs_the_assembly_the_image_publishes(string dockerfile)
    {
        var instructions = Instructions(dockerfile);
        var publish = instructions.Select(l => PublishLine().Match(l)).Single(m => m.Success);
        var project = publish.Groups["project"].Value;
        var output = publish.Groups["out"].Value;
        var assembly = AssemblyName(project);
        var entrypoint = JsonSerializer.Deserialize<string[]>(instructions.Last(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))["ENTRYPOINT ".Length..])!;
        var runtimeStage = instructions.SkipWhile(l => !l.StartsWith("FROM ", StringComparison.Ordinal) || !l.Contains("AS runtime", StringComparison.Ordinal)).ToList();

        Assert.That(runtimeStage, Does.Contain($"COPY --from=build {output} ./"), "the runtime stage copies the publish output");
        Assert.That(runtimeStage, Does.Contain($"WORKDIR {output}"), "the runtime stage runs from the publish folder");
        if (entrypoint[0] == "dotnet")
        {
            Assert.That(entrypoint[1], Is.EqualTo(assembly + ".dll"), $"{dockerfile}: {project} publishes {assembly}.dll");
        }
        else
        {
            // A command on the PATH: a symlink to the published apphost.
            var link = runtimeStage.Select(l => SymlinkLine().Match(l)).Single(m => m.Success && m.Groups["name"].Value == entrypoint[0]);
            Assert.That(link.Groups["target"].Value, Is.EqualTo($"{output}/{assembly}"), $"{dockerfile}: {project} publishes the apphost {assembly}");
        }
    }

    [Test]
    public void The_worker_image_puts_opsdesk_on_the_path()
    {
        var instructions = Instructions("deploy/worker.Dockerfile");
        Assert.Multiple(() =>
        {
            Assert.That(AssemblyName("OpsDesk.Worker/OpsDesk.Worker.csproj"), Is.EqualTo("opsdesk"));
            Assert.That(instructions, Does.Contain("RUN ln -s /app/opsdesk /usr/local/bin/opsdesk"));
            Assert.That(instructions.Last(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)), Is.EqualTo("ENTRYPOINT [\"opsdesk\"]"));
        });
    }

    [TestCaseSource(nameof(Dockerfiles))]
    public void Builds_on_the_pinned_sdk_and_runs_on_the_pinned_aspnet_runtime_as_a_non_root_user(string dockerfile)
    {
        var instructions = Instructions(dockerfile);
        var stages = instructions.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var lastUser = instructions.LastOrDefault(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(stages, Has.Count.EqualTo(2), "multi-stage: build, then runtime");
            Assert.That(stages[0], Does.Match(@"mcr\.microsoft\.com/dotnet/sdk:10\.0\.\d+ AS build$"));
            Assert.That(stages[1], Does.Match(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0\.\d+ AS runtime$"));
            Assert.That(lastUser, Is.EqualTo("USER $APP_UID"), "the runtime stage runs as the image's non-root app user");
            Assert.That(instructions.IndexOf(lastUser!), Is.GreaterThan(instructions.IndexOf(stages[1])));
        });
    }

    [TestCaseSource(nameof(Dockerfiles))]
    public void The_sdk_image_satisfies_global_json(string dockerfile)
    {
        using var globalJson = JsonDocument.Parse(RepoFiles.Read("global.json"));
        var required = Version.Parse(globalJson.RootElement.GetProperty("sdk").GetProperty("version").GetString()!);
        var from = Instructions(dockerfile).First(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var image = Version.Parse(SdkTag().Match(from).Groups[1].Value);

        // rollForward latestFeature: same major.minor, same or later feature band and patch.
        Assert.Multiple(() =>
        {
            Assert.That((image.Major, image.Minor), Is.EqualTo((required.Major, required.Minor)));
            Assert.That(image, Is.GreaterThanOrEqualTo(required));
        });
    }

    [Test]
    public void The_build_context_leaves_out_host_build_output_and_secrets()
    {
        var ignored = File.ReadAllLines(RepoFiles.Path(".dockerignore")).Select(l => l.Trim()).ToList();
        Assert.That(ignored, Does.Contain("**/bin/").And.Contain("**/obj/").And.Contain(".env"));
    }

    /// <summary>Instructions with continuation lines joined and comments dropped.</summary>
    private static List<string> Instructions(string dockerfile)
    {
        var result = new List<string>();
        var current = "";
        foreach (var raw in File.ReadAllLines(RepoFiles.Path(dockerfile)))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0)
                continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1].Trim() + " ";
                continue;
            }

            result.Add(Regex.Replace(current + line, @"\s+", " "));
            current = "";
        }

        return result;
    }

    private static string AssemblyName(string csproj)
    {
        var xml = XDocument.Load(RepoFiles.Path(csproj));
        return xml.Descendants("AssemblyName").Select(e => e.Value).LastOrDefault()
               ?? Path.GetFileNameWithoutExtension(csproj);
    }

    [GeneratedRegex(@"^RUN dotnet publish (?<project>\S+\.csproj) .*-o (?<out>\S+)")]
    private static partial Regex PublishLine();

    [GeneratedRegex(@"^RUN ln -s (?<target>\S+) /usr/local/bin/(?<name>\S+)$")]
    private static partial Regex SymlinkLine();

    [GeneratedRegex(@"dotnet/sdk:(\d+\.\d+\.\d+)")]
    private static partial Regex SdkTag();
}
