using System.CommandLine.Parsing;

namespace OpsDesk.Worker.Commands;

/// <summary>Validators that only judge values that converted; the parser itself reports those that did not.</summary>
public static class Validation
{
    public static Action<T> WhenConverted<T>(Action<T> validate)
        where T : SymbolResult =>
        result =>
        {
            try
            {
                validate(result);
            }
            catch (InvalidOperationException)
            {
                // GetValue throws for a value that failed to convert; that error is already on the result.
            }
        };
}
