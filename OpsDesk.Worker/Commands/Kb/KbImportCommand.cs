using System.CommandLine;
using OpsDesk.Db.Kb;
using OpsDesk.Workflows.Kb;

namespace OpsDesk.Worker.Commands.Kb;

/// <summary>
/// <c>opsdesk kb import DIR</c>: loads every <c>*.md</c> article of a folder (front matter + Markdown),
/// idempotent by slug: new slugs are created, changed articles updated (their version goes up), the
/// same content again changes nothing. Every file is checked first; if one is invalid nothing is written.
/// </summary>
public static class KbImportCommand
{
    public static Command Build()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Folder of article files (*.md with front matter), e.g. deploy/kb/articles." };
        var command = new Command("import", "Import a folder of Markdown articles, idempotent by slug (nothing is written if a file is invalid).") { dir };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(dir)!;
            var stderr = parse.InvocationConfiguration.Error;
            if (!folder.Exists)
            {
                await stderr.WriteLineAsync($"error: {folder.FullName} is not a folder.");
                return Cli.BadUsage;
            }

            var (inputs, problems) = await ReadAsync(folder, ct);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                    await stderr.WriteLineAsync("error: " + problem);
                await stderr.WriteLineAsync($"Nothing imported: {problems.Count} problem(s).");
                return Cli.Failed;
            }

            return await CliDatabase.RunAsync(parse, async (dataSource, stdout, _) =>
            {
                var repo = new KbRepository(dataSource);
                var counts = new Dictionary<KbWriteOutcome, int>();
                foreach (var input in inputs)
                {
                    var result = await repo.UpsertBySlugAsync(input, ct);
                    counts[result.Outcome] = counts.GetValueOrDefault(result.Outcome) + 1;
                    await stdout.WriteLineAsync($"{result.Outcome.ToString().ToLowerInvariant(),-9} {input.Slug} (#{result.Article!.Id} v{result.Article.Version})");
                }

                await stdout.WriteLineAsync(
                    $"{inputs.Count} article(s): {counts.GetValueOrDefault(KbWriteOutcome.Created)} created, " +
                    $"{counts.GetValueOrDefault(KbWriteOutcome.Updated)} updated, {counts.GetValueOrDefault(KbWriteOutcome.Unchanged)} unchanged.");
                return Cli.Ok;
            });
        });
        return command;
    }

    /// <summary>Parses and validates every file; problems name the file.</summary>
    public static async Task<(List<KbArticleInput> Inputs, List<string> Problems)> ReadAsync(DirectoryInfo folder, CancellationToken ct)
    {
        var inputs = new List<KbArticleInput>();
        var problems = new List<string>();
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in folder.GetFiles("*.md").Where(f => !f.Name.Equals("README.md", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var parsed = KbArticleFile.Parse(await File.ReadAllTextAsync(file.FullName, ct), out var error);
            if (parsed is null)
            {
                problems.Add($"{file.Name}: {error}");
                continue;
            }

            var errors = KbArticleValidation.Validate(parsed.Slug, parsed.Title, parsed.Body, parsed.Tags, parsed.Visibility, out var input);
            if (errors.Count > 0)
                problems.AddRange(errors.SelectMany(e => e.Value.Select(m => $"{file.Name}: {m}")));
            else if (!slugs.Add(input!.Slug))
                problems.Add($"{file.Name}: slug '{input.Slug}' is used by another file.");
            else
                inputs.Add(input);
        }

        if (inputs.Count == 0 && problems.Count == 0)
            problems.Add($"{folder.FullName} has no *.md article files.");
        return (inputs, problems);
    }
}
