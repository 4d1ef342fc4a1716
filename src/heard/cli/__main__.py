from heard.cli.app import main

main()
