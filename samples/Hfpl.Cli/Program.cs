Console.WriteLine("hfpl: not yet implemented");
